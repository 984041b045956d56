import { spawn } from 'node:child_process';
import { cp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir, writeSiteApp } from '../support/deploy-fixtures';
import { ENGINE_SCRIPT, slipwayEnv, stopEngineProcess, type SlipwayRun } from '../support/slipway-process';

const APPS = ['state-damage-shop', 'state-damage-blog'];

let scratch: Awaited<ReturnType<typeof scratchDir>>;
/** This file's own copy of the built CLI and engine: other test runs on the machine may rebuild `out/cli` meanwhile. */
let cliScript: string;
const dataDirs: string[] = [];

beforeAll(async () => {
  scratch = await scratchDir('state-damage');
  await symlink(path.resolve(__dirname, '../../node_modules'), path.join(scratch.dir, 'node_modules'));
  await cp(path.dirname(ENGINE_SCRIPT), path.join(scratch.dir, 'bundle'), { recursive: true });
  cliScript = path.join(scratch.dir, 'bundle', 'index.mjs');
});

afterAll(async () => {
  for (const dir of dataDirs) await stopEngineProcess(dir);
  await scratch.remove();
});

/** `slipway ARGV` as a user runs it, on a data folder; its engine process stops 1 s after its last client. */
function slipway(dataDir: string, ...argv: string[]): Promise<SlipwayRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [cliScript, ...argv], {
    env: slipwayEnv(dataDir, { HOME: path.join(path.dirname(dataDir), 'home'), SLIPWAY_ENGINE_IDLE_S: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, ms: Date.now() - started });
    }),
  );
}

/** A data folder with two apps, one with a secret, written by the real engine; its engine stopped after. */
async function folderWithApps(name: string): Promise<{ data: string; state: string }> {
  const data = path.join(scratch.dir, name, 'data');
  dataDirs.push(data);
  for (const app of APPS) {
    const dir = await writeSiteApp(path.join(scratch.dir, name), {
      name: app,
      services: [
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    envs:',
        '      - key: API_TOKEN',
        '        value: state-damage-sentinel-4f1c',
        '        type: SECRET',
      ].join('\n'),
    });
    const created = await slipway(data, 'apps', 'create', '--spec', path.join(dir, 'app.yaml'));
    expect(created.code, created.err).toBe(0);
  }
  await stopEngineProcess(data);
  return { data, state: path.join(data, 'state.json') };
}

const filesIn = async (dir: string) => (await readdir(dir)).filter((f) => f !== 'logs').sort();
const appNames = (json: string) => (JSON.parse(json) as { apps: Array<{ name: string }> }).apps.map((a) => a.name);
const engineLog = (data: string) => readFile(path.join(data, 'logs', 'engine-process.log'), 'utf8');

describe('a damaged data folder', () => {
  it('a truncated state.json: the command fails naming the damage, the copy and the last good copy; restoring it brings every app back', async () => {
    const { data, state } = await folderWithApps('truncated');
    const good = await readFile(state, 'utf8');
    expect(appNames(good)).toEqual(APPS);
    await truncate(state, Math.floor(good.length / 3));
    const truncated = await readFile(state, 'utf8');

    const run = await slipway(data, 'apps', 'list');
    expect(run.code).toBe(1);
    expect(run.out).toBe('');

    const copies = (await filesIn(data)).filter((f) => f.startsWith('state.json.damaged-'));
    expect(copies).toHaveLength(1);
    const copy = path.join(data, copies[0]!);
    expect(await readFile(copy, 'utf8')).toBe(truncated);
    expect(await readFile(state, 'utf8')).toBe(truncated);
    expect(appNames(await readFile(`${state}.last-good`, 'utf8'))).toEqual(APPS);
    // What the user reads is the engine's own refusal, word for word.
    expect(run.err).toContain(
      `Error [STATE_DAMAGED]: Slipway's state file ${state} is damaged: it ends midway, as if cut short.`,
    );
    expect(run.err).toContain(`Slipway left it as it is and copied it to ${copy}.`);
    expect(run.err).toContain(`To restore the last good copy, ${state}.last-good (written `);
    expect(run.err).toContain(`2 apps, 0 deployments, 0 servers), copy it over ${state} and run the command again.`);
    expect(run.err).not.toContain('state-damage-sentinel-4f1c');
    expect(await engineLog(data)).not.toContain('state-damage-sentinel-4f1c');

    // The next command meets the same damage: no second copy, nothing replaced.
    expect((await slipway(data, 'apps', 'list')).code).toBe(1);
    expect((await filesIn(data)).filter((f) => f.startsWith('state.json.damaged-'))).toEqual(copies);

    await cp(`${state}.last-good`, state);
    const restored = await slipway(data, 'apps', 'list', '-o', 'json');
    expect(restored.code, restored.err).toBe(0);
    expect((JSON.parse(restored.out) as Array<{ name: string }>).map((a) => a.name).sort()).toEqual([...APPS].sort());
    await stopEngineProcess(data);
  });

  for (const [what, content, name] of [
    ['a list', '[]', 'list'],
    ['a number', '42', 'number'],
    ['a string', '"hello"', 'string'],
  ] as const) {
    it(`a state.json holding ${what} is never replaced by an empty state`, async () => {
      const { data, state } = await folderWithApps(`shape-${name}`);
      await writeFile(state, content);
      const run = await slipway(data, 'apps', 'list');
      expect(run.code).toBe(1);
      expect(await readFile(state, 'utf8')).toBe(content);
      expect(run.err).toContain(
        `Error [STATE_DAMAGED]: Slipway's state file ${state} is damaged: it holds ${what} where Slipway keeps an object.`,
      );
      expect(appNames(await readFile(`${state}.last-good`, 'utf8'))).toEqual(APPS);
    });
  }

  it('a state.json from a newer Slipway is left untouched, with no copy made', async () => {
    const { data, state } = await folderWithApps('newer');
    const newer = JSON.stringify({ schemaVersion: 99, apps: { shape: 'of the future' } });
    await writeFile(state, newer);
    const before = await filesIn(data);
    const run = await slipway(data, 'apps', 'list');
    expect(run.code).toBe(1);
    expect(await readFile(state, 'utf8')).toBe(newer);
    expect(await filesIn(data)).toEqual(before);
    expect(run.err).toContain(
      `Error [STATE_TOO_NEW]: Slipway's state file ${state} was written by a newer Slipway (state schema 99;`,
    );
  });

  it('a missing secret.key while secrets are sealed: no new key, the state untouched', async () => {
    const { data, state } = await folderWithApps('no-key');
    const before = await readFile(state, 'utf8');
    expect(before).toContain('slipway-sealed:v1:');
    await rm(path.join(data, 'secret.key'));
    const run = await slipway(data, 'apps', 'list');
    expect(run.code).toBe(1);
    expect(await filesIn(data)).not.toContain('secret.key');
    expect(await readFile(state, 'utf8')).toBe(before);
    expect(run.err).toContain(
      `Error [SECRET_KEY_MISSING]: The secrets key file ${path.join(data, 'secret.key')} is missing`,
    );
    expect(run.err).toContain(`the secrets of app ${APPS[0]}, the secrets of app ${APPS[1]}`);
  });
});
