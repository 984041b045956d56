import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/deploy-fixtures';
import { ENGINE_SCRIPT, exitOf, isAlive, slipwayEnv } from '../support/slipway-process';

const STARTS = 50;
// A pid above Linux's pid_max (4,194,304): no process has it.
const DEAD_PID = '999999999';
const STORE_SOURCE = path.resolve(__dirname, '../../src/main/engine/store/state-store.ts');

/**
 * A process that opens data folders' state stores (and so their writer locks)
 * as the engine does, on command, one line each: `open <dir>` answers
 * `writer` or `refused <code>`; `close` closes the store it holds and answers
 * `closed`. Loaded once and told when to open, many of them race as closely
 * as processes can, round after round.
 */
const OPENER = `
import { createInterface } from 'node:readline';
import { openStateStore } from ${JSON.stringify(STORE_SOURCE)};
let store = null;
const say = (line) => process.stdout.write(line + '\\n');
createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.startsWith('open ')) {
    try {
      store = await openStateStore(line.slice(5));
      say('writer');
    } catch (err) {
      say(err.code ? 'refused ' + err.code : 'failed ' + JSON.stringify(String(err.stack ?? err)));
    }
  } else if (line === 'close') {
    await store?.close();
    store = null;
    say('closed');
  }
}).on('close', () => process.exit(0));
say('ready');
`;

let scratch: Awaited<ReturnType<typeof scratchDir>>;
/** This file's own copy of the built engine: other test runs on the machine may rebuild `out/cli` meanwhile. */
let engineScript: string;
let openerScript: string;
const started = new Set<number>();

beforeAll(async () => {
  scratch = await scratchDir('lock-race');
  // The bundles keep packages external: they find them here, as they do beside the repository's own.
  await symlink(path.resolve(__dirname, '../../node_modules'), path.join(scratch.dir, 'node_modules'));
  const bundle = path.join(scratch.dir, 'bundle');
  await cp(path.dirname(ENGINE_SCRIPT), bundle, { recursive: true });
  engineScript = path.join(bundle, path.basename(ENGINE_SCRIPT));
  const opener = path.join(scratch.dir, 'opener');
  await mkdir(opener);
  await writeFile(path.join(opener, 'opener.ts'), OPENER);
  await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      outDir: path.join(opener, 'out'),
      target: 'node20',
      minify: false,
      ssr: true,
      lib: { entry: path.join(opener, 'opener.ts'), formats: ['es'], fileName: () => 'opener.mjs' },
    },
  });
  openerScript = path.join(opener, 'out', 'opener.mjs');
});

afterAll(async () => {
  // Whatever a failed test left running, by the pids this file started.
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await scratch.remove();
});

/** Woken by any output or exit of the processes started: what `until` waits on. */
const changes = new Set<() => void>();
const changed = () => {
  for (const wake of changes) wake();
};

/** Resolves once `done()` holds, checked on every output or exit; bounded. */
function until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = () => {
      clearTimeout(giveUp);
      changes.delete(check);
    };
    const check = () => {
      if (!done()) return;
      finish();
      resolve();
    };
    const giveUp = setTimeout(() => {
      finish();
      reject(new Error(`not done after ${timeoutMs} ms: ${what()}`));
    }, timeoutMs);
    changes.add(check);
    check();
  });
}

interface Started {
  child: ChildProcess;
  pid: number;
  /** Everything it printed. */
  output(): string;
  /** Its lines printed since the last `clear()`. */
  lines(): string[];
  clear(): void;
  /** The exit code, or null while it runs. */
  code(): number | null;
}

function track(child: ChildProcess): Started {
  started.add(child.pid!);
  let output = '';
  let from = 0;
  const take = (chunk: string) => {
    output += chunk;
    changed();
  };
  child.stdout!.setEncoding('utf8').on('data', take);
  child.stderr!.setEncoding('utf8').on('data', take);
  let code: number | null = null;
  child.on('close', (c, signal) => {
    code = c ?? (signal ? 128 : 1);
    changed();
  });
  return {
    child,
    pid: child.pid!,
    output: () => output,
    lines: () => output.slice(from).split('\n').filter(Boolean),
    clear: () => (from = output.length),
    code: () => code,
  };
}

type Prepare = 'fresh' | 'stale' | 'empty';

async function dataFolder(name: string, prepare: Prepare): Promise<{ dataDir: string; home: string }> {
  const dataDir = path.join(scratch.dir, name, 'data');
  const home = path.join(scratch.dir, name, 'home');
  await mkdir(home, { recursive: true });
  if (prepare !== 'fresh') {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(dataDir, 'engine.lock'), prepare === 'stale' ? DEAD_PID : '', { mode: 0o600 });
  }
  return { dataDir, home };
}

const lockPid = async (dataDir: string) =>
  Number.parseInt(await readFile(path.join(dataDir, 'engine.lock'), 'utf8'), 10);

/** Sends a line to every opener and waits for each one's answer: the answers, in the openers' order. */
async function ask(openers: Started[], line: string): Promise<string[]> {
  for (const o of openers) o.clear();
  for (const o of openers) o.child.stdin!.write(`${line}\n`);
  await until(
    () => openers.every((o) => o.lines().length > 0 || o.code() !== null),
    60_000,
    () => `${openers.filter((o) => o.lines().length === 0).length} opener(s) did not answer "${line}"`,
  );
  return openers.map((o) => o.lines()[0] ?? `exited ${o.code()}:\n${o.output()}`);
}

/** STARTS real engine processes at once on one data folder, as racing front ends start them. */
async function enginesRace(name: string, prepare: Prepare): Promise<void> {
  const { dataDir, home } = await dataFolder(name, prepare);
  // A long idle time: the winner keeps the lock until the test ends it.
  const env = slipwayEnv(dataDir, { HOME: home, SLIPWAY_ENGINE_IDLE_S: '120' });
  const serving = (s: Started) => /serves .* on /.test(s.output());
  const starts = Array.from({ length: STARTS }, () =>
    track(spawn(process.execPath, [engineScript], { env, stdio: ['ignore', 'pipe', 'pipe'] })),
  );
  try {
    await until(
      () => starts.every((s) => s.code() !== null || serving(s)),
      90_000,
      () => `${starts.filter((s) => s.code() === null && !serving(s)).length} engine(s) neither served nor exited`,
    );
    const failed = starts.filter((s) => s.code() !== null && s.code() !== 3);
    expect(
      failed.map((s) => s.output()),
      'no engine fails',
    ).toEqual([]);
    const running = starts.filter((s) => s.code() === null);
    expect(
      running.map((s) => s.pid),
      'exactly one engine runs',
    ).toHaveLength(1);
    const winner = running[0]!;
    expect(starts.filter(serving).map((s) => s.pid)).toEqual([winner.pid]);
    expect(await lockPid(dataDir)).toBe(winner.pid);
    const lost = starts.filter((s) => s.code() === 3);
    expect(lost).toHaveLength(STARTS - 1);
    for (const loser of lost) expect(loser.output()).toContain(`Another engine serves ${dataDir}`);
  } finally {
    for (const s of starts) {
      if (s.code() === null) {
        process.kill(s.pid, 'SIGTERM');
        await exitOf(s.pid, 15_000);
      }
    }
  }
}

describe(`${STARTS} processes opening one data folder's state store at once`, () => {
  let openers: Started[] = [];
  beforeAll(async () => {
    openers = Array.from({ length: STARTS }, () =>
      track(spawn(process.execPath, [openerScript], { stdio: ['pipe', 'pipe', 'pipe'] })),
    );
    await until(
      () => openers.every((o) => o.output().startsWith('ready') || o.code() !== null),
      60_000,
      () => 'openers not ready',
    );
    expect(openers.map((o) => o.code())).toEqual(Array(STARTS).fill(null));
  });
  afterAll(async () => {
    for (const o of openers) o.child.stdin!.end();
    await Promise.all(openers.map((o) => exitOf(o.pid, 15_000)));
  });

  const rounds: Prepare[] = [...Array<Prepare>(10).fill('fresh'), ...Array<Prepare>(200).fill('stale')];
  rounds.push(...Array<Prepare>(10).fill('empty'));

  it(`give exactly one writer, every time, in ${rounds.length} rounds (fresh folder, a dead engine's lock, an empty lock)`, async () => {
    const outcomes: string[] = [];
    for (const [i, prepare] of rounds.entries()) {
      const { dataDir } = await dataFolder(`opener-${i}`, prepare);
      const answers = await ask(openers, `open ${dataDir}`);
      const writers = openers.filter((_, j) => answers[j] === 'writer').map((o) => o.pid);
      expect(answers.filter((a) => a !== 'writer' && a !== 'refused ENGINE_LOCKED')).toEqual([]);
      if (writers.length === 1) expect(await lockPid(dataDir)).toBe(writers[0]);
      outcomes.push(`round ${i} (${prepare}): ${writers.length} writer(s)`);
      expect(await ask(openers, 'close')).toEqual(Array(STARTS).fill('closed'));
    }
    expect(outcomes).toEqual(rounds.map((prepare, i) => `round ${i} (${prepare}): 1 writer(s)`));
  }, 300_000);
});

describe(`${STARTS} engine processes started at once on one data folder`, () => {
  it('give exactly one engine on a fresh data folder, the others told it serves', async () => {
    await enginesRace('engines-fresh', 'fresh');
  });

  it('give exactly one engine when the lock was left by an engine that died', async () => {
    await enginesRace('engines-stale', 'stale');
  });
});
