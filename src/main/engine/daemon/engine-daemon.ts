import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { SlipwayError } from '../../../shared/errors';
import { SLIPWAY_VERSION } from '../../../shared/version';
import { createEngine, type EngineOptions } from '../engine';
import { ensurePrivateDir, writePrivateFile } from '../store/private-files';
import { EXIT_ALREADY_SERVED, EXIT_REFUSED, REFUSAL_MARK } from './engine-launcher';
import { checkSocketPath, enginePaths } from './engine-paths';
import { serveLocalSocket, type LocalSocketServer } from './local-socket-server';

export interface EngineDaemonOptions {
  dataDir: string;
  /** How long the engine waits with nothing in flight and no front end before it stops. */
  idleMs: number;
  /** The bundled edge process, which keeps local apps answering after the engine stops. */
  edgeScript: string;
  /** Where the engine says what it does: its output, which the launcher sends to the engine's log. */
  log(line: string): void;
  /** Engine options for tests (another Docker engine, other SSH files). */
  engine?: Pick<EngineOptions, 'localHost' | 'ssh'>;
}

/**
 * Runs the engine of a data folder as the process every front end connects
 * to, until it has been idle long enough or is asked to stop. Resolves with
 * the process's exit code.
 */
export async function runEngineDaemon(options: EngineDaemonOptions): Promise<number> {
  const paths = enginePaths(options.dataDir);
  checkSocketPath(paths);
  await ensurePrivateDir(paths.dataDir);
  let server: LocalSocketServer | null = null;
  let stopAsked = false;
  let check = () => undefined as void;

  const engine = createEngine({
    ...options.engine,
    dataDir: paths.dataDir,
    edgeProcess: { script: options.edgeScript },
    daemon: {
      socket: paths.socket,
      log: paths.log,
      clients: () => server?.clients() ?? 0,
      onStopRequested: () => {
        stopAsked = true;
        // After the answer to `engine.stop` has gone out: the caller hears it, then sees the socket close.
        setImmediate(() => check());
      },
    },
  });

  try {
    await engine.start();
  } catch (err) {
    await engine.close();
    if (err instanceof SlipwayError && err.code === 'ENGINE_LOCKED') {
      options.log(`Another engine serves ${paths.dataDir}: ${err.message}`);
      return EXIT_ALREADY_SERVED;
    }
    if (err instanceof SlipwayError) {
      // A refusal the user can act on (a damaged state, a missing key): the front end shows it as it is.
      options.log(`${REFUSAL_MARK}${JSON.stringify(err.toPayload())}`);
      return EXIT_REFUSED;
    }
    options.log(`The engine could not open ${paths.dataDir}: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  }

  // This process holds the data folder's lock from here on: the socket and token files are its own.
  const token = randomBytes(32).toString('hex');
  await writePrivateFile(paths.token, token, { durable: false });
  let idleSince = Date.now();
  server = await serveLocalSocket({
    socketPath: paths.socket,
    target: engine.router,
    token,
    version: SLIPWAY_VERSION,
    onClientsChanged: (clients) => {
      if (clients === 0) idleSince = Date.now();
    },
  });
  options.log(`Slipway engine ${SLIPWAY_VERSION} (pid ${process.pid}) serves ${paths.dataDir} on ${paths.socket}`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (why: string) => {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      options.log(`Stopping: ${why}.`);
      await server!.close();
      // Only this engine's token is removed: the lock is still held, so no newer engine wrote one.
      if ((await readFile(paths.token, 'utf8').catch(() => null)) === token) await rm(paths.token, { force: true });
      if (!paths.socket.startsWith('\\\\')) await rm(paths.socket, { force: true });
      await engine.close();
      options.log('Stopped.');
      resolve(0);
    };
    check = () => {
      if (engine.inFlight() > 0) {
        idleSince = Date.now();
        return;
      }
      if (stopAsked) void stop('asked to stop');
      else if (server!.clients() === 0 && Date.now() - idleSince >= options.idleMs)
        void stop(`idle for ${Math.round(options.idleMs / 1000)} s with no front end`);
    };
    const timer = setInterval(check, Math.max(100, Math.min(1000, options.idleMs / 4)));
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => void stop(signal));
  });
}

/** The engine's idle time from SLIPWAY_ENGINE_IDLE_S (seconds; default 30). */
export function idleMsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SLIPWAY_ENGINE_IDLE_S;
  if (raw === undefined || raw === '') return 30_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new SlipwayError('INVALID_REQUEST', `SLIPWAY_ENGINE_IDLE_S must be a number of seconds, not "${raw}".`);
  }
  return seconds * 1000;
}
