import { timingSafeEqual } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import net from 'node:net';
import { SlipwayError } from '../../../shared/errors';
import { fail, toErrorPayload } from '../../../shared/rpc/envelope';
import { lineSplitter } from '../base/line-splitter';
import { helloSchema, MISMATCH_ALLOWED_PREFIX, type Greeting } from './local-socket-protocol';
import { MAX_REQUEST_BYTES, serveMessages, type MessageTarget } from './serve-messages';

export interface LocalSocketServerOptions {
  /** A Unix socket path (created 0600; any stale file there is replaced) or a Windows pipe name. */
  socketPath: string;
  target: MessageTarget;
  /** The secret every front end presents first; see `engine-paths.ts`. */
  token: string;
  version: string;
  /** How long a new connection may take to greet before it is dropped. */
  greetingTimeoutMs?: number;
  onClientsChanged?(clients: number): void;
}

export interface LocalSocketServer {
  clients(): number;
  close(): Promise<void>;
}

const tokenMatches = (expected: string, presented: string) => {
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
};

const versionMismatch = (engine: string, client: string) =>
  new SlipwayError(
    'ENGINE_VERSION_MISMATCH',
    `The Slipway engine running for this data folder is version ${engine}; this front end is ${client}. Stop it once its deployments end (slipway engine stop), then run the command again.`,
    { engine, client },
  );

/**
 * Serves the engine on a local socket, for the front ends of the same user:
 * the socket is 0600 in the 0700 data folder, so the OS refuses everyone
 * else, and a peer must then present the token only that user can read.
 * Node has no SO_PEERCRED, so the token stands in for the peer's uid.
 */
export async function serveLocalSocket(options: LocalSocketServerOptions): Promise<LocalSocketServer> {
  const connections = new Set<net.Socket>();
  let greeted = 0;
  const changed = (delta: number) => {
    greeted += delta;
    options.onClientsChanged?.(greeted);
  };

  const server = net.createServer((socket) => {
    connections.add(socket);
    let served: ReturnType<typeof serveMessages> | null = null;
    let mismatch: SlipwayError | null = null;
    // Strict: a line over the bound or bytes that are not UTF-8 end the connection, with nothing held.
    const split = lineSplitter({ maxLineLength: MAX_REQUEST_BYTES, strict: true });
    let hangingUp = false;
    let hangUpTimer: NodeJS.Timeout | undefined;
    const send = (value: unknown) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(value)}\n`);
    };
    /** Says why, then hangs up; a peer that neither reads nor closes is cut off a moment later. */
    const refuse = (error: SlipwayError) => {
      if (hangingUp) return;
      hangingUp = true;
      clearTimeout(greetingTimer);
      if (served) send({ t: 'result', id: -1, result: fail(toErrorPayload(error)) });
      else send({ t: 'refused', error: error.toPayload() } satisfies Greeting);
      socket.end();
      hangUpTimer = setTimeout(() => socket.destroy(), 1_000);
    };
    const greetingTimer = setTimeout(
      () => refuse(new SlipwayError('UNAUTHORIZED', 'No greeting on the Slipway socket.')),
      options.greetingTimeoutMs ?? 5_000,
    );

    const target: MessageTarget = {
      call: (name, request) =>
        mismatch && !name.startsWith(MISMATCH_ALLOWED_PREFIX)
          ? Promise.resolve(fail(toErrorPayload(mismatch)))
          : options.target.call(name, request),
      subscribe: (name, params, emit) =>
        mismatch ? Promise.resolve(fail(toErrorPayload(mismatch))) : options.target.subscribe(name, params, emit),
    };

    const greet = (line: string) => {
      clearTimeout(greetingTimer);
      let hello;
      try {
        hello = helloSchema.parse(JSON.parse(line));
      } catch {
        refuse(new SlipwayError('UNAUTHORIZED', 'The Slipway socket expects a greeting first.'));
        return;
      }
      if (!tokenMatches(options.token, hello.token)) {
        refuse(new SlipwayError('UNAUTHORIZED', 'Wrong token for the Slipway engine.'));
        return;
      }
      if (hello.version !== options.version) mismatch = versionMismatch(options.version, hello.version);
      served = serveMessages(target, {
        get open() {
          return !socket.destroyed && socket.writable;
        },
        send: (text) => socket.write(`${text}\n`),
      });
      changed(1);
      send({ t: 'welcome', version: options.version, pid: process.pid } satisfies Greeting);
    };

    socket.on('data', (chunk) => {
      if (hangingUp) return;
      let lines: string[];
      try {
        lines = split.push(chunk);
      } catch (error) {
        refuse(error instanceof SlipwayError ? error : new SlipwayError('INVALID_REQUEST', 'Unreadable message.'));
        return;
      }
      for (const line of lines) {
        if (hangingUp) return;
        if (!line) continue;
        if (served) void served.receive(line);
        else greet(line);
      }
    });
    // A peer that vanishes mid-write (or is killed) ends its connection, never the engine.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(greetingTimer);
      clearTimeout(hangUpTimer);
      connections.delete(socket);
      if (served) {
        served.close();
        changed(-1);
      }
    });
  });

  const isPipe = options.socketPath.startsWith('\\\\');
  if (!isPipe) await rm(options.socketPath, { force: true });
  // Created 0600 from the start: the umask holds while the socket file is made.
  const umask = isPipe ? null : process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    if (umask !== null) process.umask(umask);
  }
  if (!isPipe) await chmod(options.socketPath, 0o600);

  return {
    clients: () => greeted,
    close: () =>
      new Promise<void>((resolve) => {
        // Ended, not cut: what was written (the answer to a stop) still reaches the front end.
        for (const socket of connections) socket.end();
        const cut = setTimeout(() => {
          for (const socket of connections) socket.destroy();
        }, 1_000);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
      }),
  };
}
