import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

/** A path of an app's URL and the local port its requests go to (the component's stable port). */
export interface PathTarget {
  /** Starts with '/'; '/' matches every path. */
  prefix: string;
  port: number;
  /** false: the prefix is cut off before the request reaches the component (DigitalOcean's default). */
  preservePathPrefix: boolean;
}

/**
 * Whether a request path falls under a prefix: the prefix itself or below it, never `/apiary` under
 * `/api`; regardless of case, as Caddy's path matcher compares on a server's edge.
 */
function under(pathname: string, prefix: string): boolean {
  const path = pathname.toLowerCase();
  const p = prefix.toLowerCase();
  return p === '/' || path === p || path.startsWith(`${p}/`);
}

/**
 * The target of a request URL (path and query) by longest prefix, with the URL the component is to see:
 * the prefix cut off unless kept, and never an empty path. Null when no prefix holds it.
 */
export function matchPath(targets: readonly PathTarget[], url: string): { target: PathTarget; url: string } | null {
  const queryAt = url.search(/[?#]/);
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  const rest = queryAt === -1 ? '' : url.slice(queryAt);
  let best: PathTarget | null = null;
  for (const t of targets) if (under(pathname, t.prefix) && (!best || t.prefix.length > best.prefix.length)) best = t;
  if (!best) return null;
  if (best.prefix === '/' || best.preservePathPrefix) return { target: best, url };
  const stripped = pathname.slice(best.prefix.length);
  return { target: best, url: `${stripped.startsWith('/') ? stripped : `/${stripped}`}${rest}` };
}

/**
 * The X-Forwarded-* headers a component sees, as the server's edge (Caddy) sets them for a client it
 * does not trust: the client's own address, never what it claimed, the scheme and the host it asked for.
 */
export function forwardedHeaders(req: IncomingMessage): void {
  for (const name of Object.keys(req.headers)) if (name.startsWith('x-forwarded-')) delete req.headers[name];
  req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  req.headers['x-forwarded-proto'] = 'http';
  if (req.headers.host) req.headers['x-forwarded-host'] = req.headers.host;
}

function answer(res: ServerResponse, status: number, text: string) {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

/**
 * An HTTP server that sends each request, WebSocket upgrades too, to the component its path leads to,
 * through http-proxy-3 rather than parsing HTTP by hand. `targets` is read at each request, so a route
 * change takes effect without a new listener.
 */
export function createPathRouter(targets: () => readonly PathTarget[]): Server {
  // No keep-alive towards components: their stable ports forward each connection to a live instance, so
  // a reused connection would stay on an instance that a rolling restart is about to stop. No timeout
  // of its own either: a long poll or an event stream lasts as long as it does through the TCP routes.
  const proxy = createProxyServer({ agent: false });
  proxy.on('error', (_err, _req, res) => {
    if (res && 'writeHead' in res) answer(res as ServerResponse, 502, 'The component did not answer.\n');
    else (res as Duplex | undefined)?.destroy();
  });
  const route = (req: IncomingMessage) => {
    const match = matchPath(targets(), req.url ?? '/');
    if (!match) return null;
    req.url = match.url;
    forwardedHeaders(req);
    return match.target;
  };
  const server = createServer((req, res) => {
    const target = route(req);
    if (!target) return answer(res, 404, 'No component of this app is served at this path.\n');
    proxy.web(req, res, { target: `http://127.0.0.1:${target.port}` });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = route(req);
    if (!target) return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    proxy.ws(req, socket, head, { target: `ws://127.0.0.1:${target.port}` });
  });
  return server;
}
