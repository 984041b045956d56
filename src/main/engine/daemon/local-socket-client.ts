import net from 'node:net';
import { SlipwayError } from '../../../shared/errors';
import { socketClientTransport, type SocketLike } from '../../../shared/rpc/socket-client-transport';
import type { Transport } from '../../../shared/rpc/transport';
import { lineSplitter } from '../base/line-splitter';
import { MAX_MESSAGE_BYTES, type Greeting, type Hello } from './local-socket-protocol';

/** A front end's connection to the engine. */
export interface EngineConnection {
  transport: Transport;
  /** The engine as it introduced itself. */
  engine: { pid: number; version: string };
  /** Resolves when the connection ends, whoever ended it. */
  closed: Promise<void>;
  close(): void;
}

export interface LocalSocketClientOptions {
  socketPath: string;
  token: string;
  version: string;
  /** How long to wait for the engine's greeting. */
  timeoutMs?: number;
}

const OPEN = 1;
const CLOSED = 3;

/** Socket errors that mean no engine listens there (yet). */
export const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/** Connects to an engine's local socket and greets it; throws ENGINE_UNREACHABLE, or the engine's refusal. */
export async function connectLocalSocket(options: LocalSocketClientOptions): Promise<EngineConnection> {
  const socket = net.createConnection(options.socketPath);
  const split = lineSplitter({ maxLineLength: MAX_MESSAGE_BYTES, strict: true });
  const listeners: Record<string, Array<(event?: { data: unknown }) => void>> = { close: [], error: [], message: [] };
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let greeting: ((g: Greeting) => void) | null = null;
  const greeted = new Promise<Greeting>((resolve) => (greeting = resolve));

  socket.on('data', (chunk) => {
    let lines: string[];
    try {
      lines = split.push(chunk);
    } catch {
      // Not what an engine sends: end the connection, as when the engine goes away.
      socket.destroy();
      return;
    }
    for (const line of lines) {
      if (!line) continue;
      if (greeting) {
        const settle = greeting;
        greeting = null;
        try {
          settle(JSON.parse(line) as Greeting);
        } catch {
          settle({ t: 'refused', error: { code: 'ENGINE_UNREACHABLE', message: 'The engine answered nonsense.' } });
        }
      } else {
        for (const listener of listeners.message!) listener({ data: line });
      }
    }
  });
  socket.on('close', () => {
    for (const listener of listeners.close!) listener();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
  } catch (err) {
    socket.destroy();
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    throw new SlipwayError('ENGINE_UNREACHABLE', `No Slipway engine answers at ${options.socketPath} (${code}).`, {
      socket: options.socketPath,
      reason: code,
    });
  }
  socket.on('error', () => {
    for (const listener of listeners.error!) listener();
    socket.destroy();
  });
  socket.write(`${JSON.stringify({ t: 'hello', token: options.token, version: options.version } satisfies Hello)}\n`);

  let timer: NodeJS.Timeout | undefined;
  const answer = await Promise.race([
    greeted,
    closed.then((): Greeting => ({
      t: 'refused',
      error: { code: 'ENGINE_UNREACHABLE', message: 'The Slipway engine closed the connection before it greeted.' },
    })),
    new Promise<Greeting>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            t: 'refused',
            error: { code: 'ENGINE_UNREACHABLE', message: 'The Slipway engine did not greet in time.' },
          }),
        options.timeoutMs ?? 10_000,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  if (answer.t === 'refused') {
    socket.destroy();
    throw SlipwayError.fromPayload(answer.error);
  }

  const socketLike: SocketLike = {
    get readyState() {
      return socket.destroyed ? CLOSED : OPEN;
    },
    send: (data) => socket.write(`${data}\n`),
    close: () => socket.end(),
    addEventListener: (type: string, listener: (event?: { data: unknown }) => void) => {
      listeners[type]?.push(listener);
    },
  } as SocketLike;
  const transport = socketClientTransport(socketLike);
  return {
    transport,
    engine: { pid: answer.pid, version: answer.version },
    closed,
    close: () => socket.destroy(),
  };
}
