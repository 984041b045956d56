import { SlipwayError } from '../errors';
import { fail, ok, type Envelope } from './envelope';
import type { ClientMessage, ServerMessage } from './socket-protocol';
import type { Transport, Unsubscribe } from './transport';

/** The part of a WebSocket this transport uses; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

const closedError = () =>
  new SlipwayError('TRANSPORT_CLOSED', 'The connection to the Slipway engine is closed.').toPayload();

/** A transport over a WebSocket to the engine's socket server. */
export function socketClientTransport(socket: SocketLike): Transport & { close(): void } {
  let nextId = 1;
  const pending = new Map<number, (result: Envelope<unknown>) => void>();
  const listeners = new Map<number, (event: unknown) => void>();
  let closed = false;

  const opened = new Promise<void>((resolve) => {
    if (socket.readyState === OPEN) resolve();
    else socket.addEventListener('open', () => resolve());
  });
  // One listener for the life of the socket, not one per request.
  const closedSignal = new Promise<void>((resolve) => socket.addEventListener('close', () => resolve()));

  const onClosed = () => {
    closed = true;
    for (const settle of pending.values()) settle(fail(closedError()));
    pending.clear();
    listeners.clear();
  };
  socket.addEventListener('close', onClosed);
  socket.addEventListener('error', onClosed);

  socket.addEventListener('message', ({ data }) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.t === 'result') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else if (message.t === 'event') {
      listeners.get(message.id)?.(message.event);
    }
  });

  async function request(message: ClientMessage): Promise<Envelope<unknown>> {
    await Promise.race([opened, closedSignal]);
    if (closed) return fail(closedError());
    return new Promise((resolve) => {
      pending.set(message.id, resolve);
      socket.send(JSON.stringify(message));
    });
  }

  return {
    call(name, req) {
      return request({ t: 'call', id: nextId++, name, request: req });
    },
    async subscribe(name, params, onEvent) {
      const id = nextId++;
      listeners.set(id, onEvent);
      const result = await request({ t: 'sub', id, name, params });
      if (!result.ok) {
        listeners.delete(id);
        return result;
      }
      const unsubscribe: Unsubscribe = () => {
        if (!listeners.delete(id) || closed) return;
        socket.send(JSON.stringify({ t: 'unsub', id } satisfies ClientMessage));
      };
      return ok(unsubscribe);
    },
    close() {
      socket.close();
    },
  };
}
