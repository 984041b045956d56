import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineStatus } from '../../src/shared/domains/engine';

/** The built CLI and the engine entry beside it; the integration setup builds them from the current source. */
export const CLI_SCRIPT = path.resolve(__dirname, '../../out/cli/index.mjs');
export const ENGINE_SCRIPT = path.resolve(__dirname, '../../out/cli/engine-daemon.mjs');

export interface SlipwayRun {
  code: number | null;
  out: string;
  err: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

export interface SlipwayOptions {
  /** Added to the environment; SLIPWAY_HOME and a 2 s engine idle time are set already. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** The environment a test's `slipway` runs with: its own data folder, an engine that stops 2 s after its last client. */
export function slipwayEnv(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, SLIPWAY_HOME: dataDir, SLIPWAY_ENGINE_IDLE_S: '2', ...extra };
}

/** A `slipway` process as a user would start it in a terminal; follow its output and interrupt it. */
export interface SlipwayProcess {
  child: ChildProcess;
  output(): { out: string; err: string };
  /** Resolves once the process has printed a line matching `pattern` on either stream. Bounded. */
  printed(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<SlipwayRun>;
  /** Ctrl-C. */
  interrupt(): void;
}

export function startSlipway(dataDir: string, argv: string[], options: SlipwayOptions = {}): SlipwayProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI_SCRIPT, ...argv], {
    env: slipwayEnv(dataDir, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of watchers) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const w of watchers) w();
  });
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<SlipwayRun>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      for (const w of watchers) w();
      resolve({ code, out, err, ms: Date.now() - started });
    });
  });
  return {
    child,
    output: () => ({ out, err }),
    printed(pattern, waitMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out) || pattern.test(err)) {
            watchers.delete(check);
            clearTimeout(giveUp);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            watchers.delete(check);
            clearTimeout(giveUp);
            reject(new Error(`slipway ${argv.join(' ')} exited before printing ${pattern}:\n${out}\n${err}`));
          }
        };
        const giveUp = setTimeout(() => {
          watchers.delete(check);
          reject(new Error(`slipway ${argv.join(' ')} did not print ${pattern} in ${waitMs} ms:\n${out}\n${err}`));
        }, waitMs);
        watchers.add(check);
        check();
      });
    },
    exited,
    interrupt: () => child.kill('SIGINT'),
  };
}

/** Runs `slipway ARGV` to its end. */
export function runSlipway(dataDir: string, argv: string[], options: SlipwayOptions = {}): Promise<SlipwayRun> {
  return startSlipway(dataDir, argv, options).exited;
}

/** `slipway engine status -o json`. */
export async function engineStatus(dataDir: string, options: SlipwayOptions = {}): Promise<EngineStatus> {
  const run = await runSlipway(dataDir, ['engine', 'status', '-o', 'json'], options);
  if (run.code !== 0) throw new Error(`engine status failed: ${run.err}`);
  return JSON.parse(run.out) as EngineStatus;
}

/** The pid holding a data folder's lock (the engine, while it runs), or null. */
export async function enginePid(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, 'engine.lock'), 'utf8').catch(() => null);
  const pid = text ? Number.parseInt(text, 10) : NaN;
  return Number.isSafeInteger(pid) && isAlive(pid) ? pid : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves when a process has exited, polling its pid within a bound. */
export async function exitOf(pid: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Ends the engine a test started on its data folder, by its pid (SIGTERM, then SIGKILL). */
export async function stopEngineProcess(dataDir: string): Promise<void> {
  const pid = await enginePid(dataDir);
  if (pid === null) return;
  process.kill(pid, 'SIGTERM');
  await exitOf(pid, 15_000).catch(() => {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  });
}
