import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { SOCKET_TOKEN_PARAM } from '../../shared/rpc/socket-protocol';
import { MAX_REQUEST_BYTES, serveMessages, type MessageTarget } from '../engine/daemon/serve-messages';

export interface SocketServerOptions {
  /** An HTTP server already listening on loopback; the socket shares its port. */
  server: Server;
  /** The engine's router, or a transport that relays to the engine. */
  router: MessageTarget;
  /** The per-run secret a client must present; see {@link newSocketToken}. */
  token: string;
  path?: string;
}

/** A fresh random token for one run of the socket server. */
export function newSocketToken(): string {
  return randomBytes(32).toString('hex');
}

function tokenMatches(expected: string, presented: string | null): boolean {
  if (presented === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A browser page may open a WebSocket to any address, so the token alone is
 * not enough against another site's page: the Origin must be one this host
 * serves. Both are compared with the names of our own port, never with the
 * request's own Host: a rebound name (evil.example resolving to 127.0.0.1)
 * sends a Host and an Origin that agree with each other.
 */
function isOwnRequest(server: Server, request: IncomingMessage): boolean {
  const address = server.address();
  if (address === null || typeof address === 'string') return false;
  const hosts = [`127.0.0.1:${address.port}`, `localhost:${address.port}`];
  if (!hosts.includes(request.headers.host?.toLowerCase() ?? '')) return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true; // non-browser clients (tests, CLI) send none
  return hosts.some((host) => origin.toLowerCase() === `http://${host}`);
}

/** Serves a router over a WebSocket on an existing loopback HTTP server; clients must present the token. */
export function attachSocketServer(options: SocketServerOptions): { close(): Promise<void> } {
  const path = options.path ?? '/rpc';
  const wss = new WebSocketServer({
    server: options.server,
    path,
    maxPayload: MAX_REQUEST_BYTES,
    verifyClient: ({ req }, done) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!tokenMatches(options.token, url.searchParams.get(SOCKET_TOKEN_PARAM)))
        return done(false, 401, 'Unauthorized');
      if (!isOwnRequest(options.server, req)) return done(false, 403, 'Forbidden');
      done(true);
    },
  });
  wss.on('connection', (socket) => serveConnection(socket, options.router));
  return {
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

function serveConnection(socket: WebSocket, target: MessageTarget): void {
  const served = serveMessages(target, {
    get open() {
      return socket.readyState === socket.OPEN;
    },
    send: (text) => socket.send(text),
  });
  socket.on('message', (data) => void served.receive(data.toString()));
  // A frame over the size limit or with invalid UTF-8 ends that connection, never the process.
  socket.on('error', () => socket.terminate());
  socket.on('close', () => served.close());
}
