import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail, toErrorPayload } from '../../shared/rpc/envelope';
import type { Router } from '../../shared/rpc/router';
import { clientMessageSchema, SOCKET_TOKEN_PARAM, type ServerMessage } from '../../shared/rpc/socket-protocol';
import type { Unsubscribe } from '../../shared/rpc/transport';
import { SlipwayError } from '../../shared/errors';

export interface SocketServerOptions {
  /** An HTTP server already listening on loopback; the socket shares its port. */
  server: Server;
  router: Router;
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
 * not enough against another site's page: the Origin must be our own too.
 */
function originMatches(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true; // non-browser clients (tests, CLI) send none
  return origin === `http://${request.headers.host}`;
}

/** Serves a router over a WebSocket on an existing loopback HTTP server; clients must present the token. */
export function attachSocketServer(options: SocketServerOptions): { close(): Promise<void> } {
  const path = options.path ?? '/rpc';
  const wss = new WebSocketServer({
    server: options.server,
    path,
    maxPayload: 1024 * 1024,
    verifyClient: ({ req }, done) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!tokenMatches(options.token, url.searchParams.get(SOCKET_TOKEN_PARAM)))
        return done(false, 401, 'Unauthorized');
      if (!originMatches(req)) return done(false, 403, 'Forbidden');
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

function serveConnection(socket: WebSocket, router: Router): void {
  const subscriptions = new Map<number, Unsubscribe>();
  const send = (message: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  socket.on('message', async (data) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      parsed = undefined;
    }
    const message = clientMessageSchema.safeParse(parsed);
    if (!message.success) {
      const id = typeof (parsed as { id?: unknown })?.id === 'number' ? (parsed as { id: number }).id : -1;
      const error = new SlipwayError('INVALID_REQUEST', 'Malformed message on the Slipway socket.');
      send({ t: 'result', id, result: fail(toErrorPayload(error)) });
      return;
    }
    const msg = message.data;
    if (msg.t === 'call') {
      send({ t: 'result', id: msg.id, result: await router.call(msg.name, msg.request) });
    } else if (msg.t === 'sub') {
      const result = await router.subscribe(msg.name, msg.params, (event) => send({ t: 'event', id: msg.id, event }));
      if (result.ok) {
        if (socket.readyState !== socket.OPEN) result.data();
        else subscriptions.set(msg.id, result.data);
        send({ t: 'result', id: msg.id, result: { ok: true, data: null } });
      } else {
        send({ t: 'result', id: msg.id, result });
      }
    } else {
      subscriptions.get(msg.id)?.();
      subscriptions.delete(msg.id);
    }
  });

  socket.on('close', () => {
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });
}
