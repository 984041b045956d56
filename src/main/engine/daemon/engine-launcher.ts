import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isErrorCode, SlipwayError } from '../../../shared/errors';
import type { EngineStatus } from '../../../shared/domains/engine';
import { SLIPWAY_VERSION } from '../../../shared/version';
import { readLastLines } from '../logs/read-tail';
import { ensurePrivateDir } from '../store/private-files';
import { lockHolder } from '../store/writer-lock';
import { checkSocketPath, enginePaths } from './engine-paths';
import { connectLocalSocket, type EngineConnection } from './local-socket-client';

export interface EngineLaunch {
  dataDir: string;
  /** The bundled engine entry (`engine-daemon.mjs` beside the CLI, `engine-daemon.js` in the app). */
  script: string;
  /** The Node that runs it: `process.execPath` (Electron runs it as Node). */
  execPath?: string;
  /** The engine's environment; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for a new engine to answer; reconciling with slow servers can take a while. */
  timeoutMs?: number;
  /** The version this front end speaks; tests pass another to see a mismatch. */
  version?: string;
}

/** How the engine process says it lost the race to another engine on the same folder. */
export const EXIT_ALREADY_SERVED = 3;
/** How the engine process says it refused to open the data folder, its reason logged after {@link REFUSAL_MARK}. */
export const EXIT_REFUSED = 4;
export const REFUSAL_MARK = 'Refused to open: ';

/** The typed reason an engine that exited {@link EXIT_REFUSED} wrote as its last log line, so the user reads it as it was. */
async function refusal(log: string): Promise<SlipwayError | null> {
  const [last] = await readLastLines(log, 1, (line) => line).catch(() => [] as string[]);
  const at = last?.indexOf(REFUSAL_MARK) ?? -1;
  if (!last || at < 0) return null;
  try {
    const payload = JSON.parse(last.slice(at + REFUSAL_MARK.length)) as { code?: unknown; message?: unknown };
    if (!isErrorCode(payload.code) || typeof payload.message !== 'string') return null;
    return SlipwayError.fromPayload(payload as Parameters<typeof SlipwayError.fromPayload>[0]);
  } catch {
    return null;
  }
}

const retryable = (err: unknown) =>
  err instanceof SlipwayError && (err.code === 'ENGINE_UNREACHABLE' || err.code === 'UNAUTHORIZED');

/** Connects to the engine that serves a data folder, or null when none answers. Never starts one. */
export async function probeEngine(dataDir: string, version = SLIPWAY_VERSION): Promise<EngineConnection | null> {
  const paths = enginePaths(dataDir);
  const token = await readFile(paths.token, 'utf8').catch(() => null);
  if (token === null) return null;
  try {
    return await connectLocalSocket({ socketPath: paths.socket, token: token.trim(), version });
  } catch (err) {
    if (retryable(err)) return null;
    throw err;
  }
}

/**
 * Connects to the data folder's engine, starting one in the background when
 * none answers. Several front ends may do this at once: every engine but one
 * loses the data folder's lock and exits, and all of them connect to the winner.
 */
export async function connectEngine(launch: EngineLaunch): Promise<EngineConnection> {
  const paths = enginePaths(launch.dataDir);
  checkSocketPath(paths);
  const version = launch.version ?? SLIPWAY_VERSION;
  const first = await probeEngine(launch.dataDir, version);
  if (first && first.engine.version === version) return first;
  if (first) await replaceIdleEngine(first, version);

  let started = await startEngineProcess(launch);
  const deadline = Date.now() + (launch.timeoutMs ?? 60_000);
  for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
    const connection = await probeEngine(launch.dataDir, version);
    if (connection) return connection;
    const exit = started.exitCode();
    // The engine that won may still be starting; if it died (or was stopping), start another.
    if (exit === EXIT_ALREADY_SERVED && (await lockHolder(paths.dataDir)) === null) {
      started = await startEngineProcess(launch);
    } else if (exit !== null && exit !== EXIT_ALREADY_SERVED) {
      const refused = exit === EXIT_REFUSED ? await refusal(paths.log) : null;
      if (refused) throw refused;
      const tail = await readLastLines(paths.log, 5, (line) => line).catch(() => [] as string[]);
      throw new SlipwayError(
        'ENGINE_UNREACHABLE',
        `The Slipway engine could not start (exit ${exit}); see ${paths.log}${tail.length ? `:\n${tail.join('\n')}` : '.'}`,
        { log: paths.log, exitCode: exit },
      );
    }
    if (Date.now() > deadline) {
      throw new SlipwayError(
        'ENGINE_UNREACHABLE',
        `The Slipway engine did not answer at ${paths.socket} in time; see ${paths.log}.`,
        { socket: paths.socket, log: paths.log },
      );
    }
    await delay(wait);
  }
}

/**
 * Stops an engine of another version when it has nothing in flight, so this
 * front end can start its own; never a silent mix of versions.
 */
async function replaceIdleEngine(connection: EngineConnection, version: string): Promise<void> {
  try {
    const status = await connection.transport.call('engine.status', {});
    const inFlight = status.ok ? (status.data as EngineStatus).inFlight : 0;
    if (inFlight > 0) {
      throw new SlipwayError(
        'ENGINE_VERSION_MISMATCH',
        `The Slipway engine running for this data folder (pid ${connection.engine.pid}) is version ${connection.engine.version} and has ${inFlight} deployment(s) in flight; this slipway is ${version}. Let them finish (slipway engine status), then run the command again.`,
        { engine: connection.engine.version, client: version, pid: connection.engine.pid, inFlight },
      );
    }
    const stopped = await connection.transport.call('engine.stop', { now: false });
    if (!stopped.ok) throw SlipwayError.fromPayload(stopped.error);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([connection.closed, new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
  } finally {
    connection.close();
  }
}

/** Starts an engine process detached from this one, its output appended to the engine's log. */
async function startEngineProcess(launch: EngineLaunch): Promise<{ exitCode(): number | null }> {
  const paths = enginePaths(launch.dataDir);
  await ensurePrivateDir(paths.dataDir);
  await ensurePrivateDir(path.dirname(paths.log));
  const log = openSync(paths.log, 'a', 0o600);
  let exitCode: number | null = null;
  try {
    const child = spawn(launch.execPath ?? process.execPath, [launch.script], {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...(launch.env ?? process.env), SLIPWAY_HOME: paths.dataDir, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    child.once('exit', (code, signal) => (exitCode = code ?? (signal ? 128 : 1)));
    child.once('error', () => (exitCode = 127));
    child.unref();
  } finally {
    closeSync(log);
  }
  return { exitCode: () => exitCode };
}
