import { createServer, type Server, type Socket } from 'node:net';
import { SlipwayError } from '../../../shared/errors';
import { createPathRouter, type PathTarget } from './path-router';
import type { RouteChange, ServiceRouter, Upstream } from './service-router';

interface Route {
  server: Server;
  port: number;
  upstreams: Upstream[];
  /** An app's URL routed by path (HTTP); null for a service's port, forwarded as plain TCP. */
  paths: PathTarget[] | null;
  next: number;
  connections: Set<Socket>;
}

/**
 * Slipway's edge in this process: one stable port on 127.0.0.1 per service,
 * forwarding each connection to a live instance in turn. A connection is only
 * handed to an instance that accepts it, so a rolling restart drops nothing.
 */
export class EdgeProxy implements ServiceRouter {
  private readonly routes = new Map<string, Route>();

  async setRoute(key: string, port: number, upstreams: Upstream[]): Promise<void> {
    await this.setRoutes([{ key, port, upstreams }]);
  }

  async setRoutes(changes: RouteChange[]): Promise<void> {
    // Every new port is listened on before any route changes, so a taken port changes nothing.
    const opened = new Map<string, Route>();
    try {
      for (const change of changes) {
        const old = this.routes.get(change.key);
        if (old?.port !== change.port || Boolean(old.paths) !== Boolean(change.paths))
          opened.set(change.key, await this.listen(change.port, Boolean(change.paths)));
      }
    } catch (err) {
      for (const route of opened.values()) await closeRoute(route);
      throw err;
    }
    for (const { key, upstreams, paths } of changes) {
      const fresh = opened.get(key);
      const old = this.routes.get(key);
      if (!fresh) {
        old!.upstreams = upstreams;
        old!.paths = paths ?? null;
        old!.next = 0;
        continue;
      }
      fresh.upstreams = upstreams;
      fresh.paths = paths ?? null;
      this.routes.set(key, fresh);
      if (old) await closeRoute(old);
    }
  }

  async routeKeys(): Promise<string[]> {
    return [...this.routes.keys()];
  }

  private async listen(port: number, byPath: boolean): Promise<Route> {
    const paths = () => route.paths ?? [];
    const route: Route = {
      server: byPath ? createPathRouter(paths) : createServer(),
      port,
      upstreams: [],
      paths: null,
      next: 0,
      connections: new Set(),
    };
    if (byPath) route.server.on('connection', (socket: Socket) => track(route, socket));
    else route.server.on('connection', (socket: Socket) => this.forward(route, socket));
    await new Promise<void>((resolve, reject) => {
      route.server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(port, err)));
      route.server.listen(port, '127.0.0.1', () => resolve());
    });
    return route;
  }

  async removeRoute(key: string): Promise<void> {
    const route = this.routes.get(key);
    if (!route) return;
    this.routes.delete(key);
    await closeRoute(route);
  }

  async removeRoutesWithPrefix(prefix: string): Promise<void> {
    for (const key of [...this.routes.keys()]) if (key.startsWith(prefix)) await this.removeRoute(key);
  }

  async close(): Promise<void> {
    for (const key of [...this.routes.keys()]) await this.removeRoute(key);
  }

  private async forward(route: Route, client: Socket): Promise<void> {
    track(route, client);
    client.on('error', () => client.destroy());
    client.pause();
    // Try each instance at most once, starting with the next in turn.
    const candidates = route.upstreams;
    for (let attempt = 0; attempt < candidates.length; attempt++) {
      const candidate = candidates[(route.next + attempt) % candidates.length]!;
      let upstream: Awaited<ReturnType<Upstream['connect']>>;
      try {
        upstream = await candidate.connect();
      } catch {
        continue;
      }
      route.next = (route.next + attempt + 1) % Math.max(1, candidates.length);
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      return;
    }
    client.destroy();
  }
}

/** Keeps a connection with its route, so closing the route ends it. */
function track(route: Route, socket: Socket) {
  route.connections.add(socket);
  socket.on('close', () => route.connections.delete(socket));
}

/** Stops listening on a route's port and ends its connections. */
async function closeRoute(route: Route): Promise<void> {
  for (const socket of route.connections) socket.destroy();
  await new Promise<void>((resolve) => route.server.close(() => resolve()));
}

/** Explains why a service's port cannot be listened on. */
export function listenError(port: number, err: NodeJS.ErrnoException): SlipwayError {
  return new SlipwayError(
    'DEPLOY_FAILED',
    err.code === 'EADDRINUSE'
      ? `Port ${port} on 127.0.0.1 is taken by another program; choose another host port.`
      : `Cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}`,
    { port },
  );
}
