import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerHost } from '../../src/main/engine/hosts/docker-host';
import { localDockerHost } from '../../src/main/engine/hosts/local-docker-host';

export interface LocalDocker {
  socketPath: string;
  /** True when this process spawned the dockerd that serves `socketPath`. */
  startedByUs: boolean;
  /** Releases this handle; the dockerd we started is stopped when the last handle is released. */
  stop(): Promise<void>;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';
const DEFAULT_PIDFILE = '/var/run/docker.pid';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

/** True when a Docker engine answers `GET /_ping` on the unix socket within `timeoutMs`. */
export function pingDockerSocket(socketPath: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** The last lines of a log file, for error messages that explain why a daemon did not come up. */
export async function tailFile(path: string, lines = 20): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True while `pid` names a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves true once our child has exited, false if it is still running after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

function socketFromEnvironment(): string {
  const dockerHost = process.env.DOCKER_HOST;
  if (!dockerHost) return DEFAULT_SOCKET;
  if (dockerHost.startsWith('unix://')) return dockerHost.slice('unix://'.length) || DEFAULT_SOCKET;
  throw new Error(`ensureLocalDocker only handles unix:// engines, DOCKER_HOST is ${dockerHost}`);
}

interface Started {
  child: ChildProcess;
  dir: string;
  refs: number;
}

// Shared through globalThis so that two copies of this module (vite-node and native loaders) agree.
const STATE_KEY = Symbol.for('slipway.test.localDocker');
interface State {
  pending?: Promise<{ socketPath: string; started?: Started }>;
}
const state: State = ((globalThis as Record<symbol, State | undefined>)[STATE_KEY] ??= {});

function otherDockerdStarting(ourPid: number | undefined): boolean {
  try {
    const pid = Number(readFileSync(DEFAULT_PIDFILE, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pid !== ourPid && isAlive(pid);
  } catch {
    return false;
  }
}

async function startDockerd(socketPath: string): Promise<Started | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-dockerd-'));
  const logPath = join(dir, 'dockerd.log');
  const logFd = openSync(logPath, 'a');
  // The default pidfile is dockerd's own guard against a second daemon on the same data root.
  const args = ['--host', `unix://${socketPath}`, '--pidfile', DEFAULT_PIDFILE];
  let child: ChildProcess;
  try {
    child = spawn('dockerd', args, { detached: true, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  child.on('error', () => {
    /* reported through the exit check below */
  });
  child.unref();

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await pingDockerSocket(socketPath, 500)) {
      const ours = child.exitCode === null && child.signalCode === null;
      if (ours) return { child, dir, refs: 0 };
      // Another process won the race; its engine is the one answering.
      await rm(dir, { recursive: true, force: true });
      return undefined;
    }
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (exited && !otherDockerdStarting(child.pid)) {
      throw new Error(`dockerd exited before answering on ${socketPath}:\n${await tailFile(logPath)}`);
    }
    await sleep(100);
  }
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
  throw new Error(`dockerd did not answer on ${socketPath} within ${START_TIMEOUT_MS} ms:\n${await tailFile(logPath)}`);
}

async function stopDockerd(started: Started): Promise<void> {
  const pid = started.child.pid;
  if (pid === undefined) return;
  if (started.child.exitCode === null && started.child.signalCode === null) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitForExit(started.child, STOP_TIMEOUT_MS))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(started.child, 5_000);
    }
  }
  await rm(started.dir, { recursive: true, force: true });
}

/** Makes sure a Docker engine answers on DOCKER_HOST (unix) or /var/run/docker.sock, starting dockerd if none does. */
export async function ensureLocalDocker(): Promise<LocalDocker> {
  state.pending ??= (async () => {
    const socketPath = socketFromEnvironment();
    if (await pingDockerSocket(socketPath)) return { socketPath };
    const started = await startDockerd(socketPath);
    if (started) {
      // A runner that never calls stop() must not leave the daemon it started behind.
      process.once('exit', () => {
        if (started.child.exitCode === null && started.child.pid !== undefined) {
          try {
            process.kill(started.child.pid, 'SIGTERM');
          } catch {
            /* already gone */
          }
        }
      });
    }
    return { socketPath, started };
  })().catch((err: unknown) => {
    state.pending = undefined;
    throw err;
  });

  const { socketPath, started } = await state.pending;
  if (started) started.refs += 1;
  let released = false;
  return {
    socketPath,
    startedByUs: started !== undefined,
    stop: async () => {
      if (released || !started) return;
      released = true;
      started.refs -= 1;
      if (started.refs > 0) return;
      state.pending = undefined;
      await stopDockerd(started);
    },
  };
}

/**
 * The engine's local Docker host as it is made for DOCKER_HOST=unix://SOCKET:
 * for tests of an engine whose Docker is not there (yet).
 */
export function localHostAtSocket(socketPath: string): DockerHost & { endpoint: string } {
  const previous = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `unix://${socketPath}`;
  try {
    return localDockerHost();
  } finally {
    if (previous === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previous;
  }
}
