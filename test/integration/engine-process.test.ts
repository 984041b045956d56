import { execFileSync } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/main/engine/daemon/engine-launcher';
import type { Deployment } from '../../src/shared/deployment';
import type { AppDetail } from '../../src/shared/domains/apps';
import { removeSlipwayResources } from '../support/cleanup';
import { eventually, httpGet, scratchDir, stopEdgeProcess, writeSiteApp } from '../support/deploy-fixtures';
import { engineProcessesOf, leftoversOf } from '../support/engine-checks';
import {
  ENGINE_SCRIPT,
  enginePid,
  engineStatus,
  exitOf,
  runSlipway,
  slipwayEnv,
  startSlipway,
  stopEngineProcess,
} from '../support/slipway-process';

const docker = new Docker();
const APPS = ['eng-background', 'eng-killed', 'eng-ctrl-c', 'eng-versions', 'eng-stop'];

/** The page first, then a slow step: a changed page always runs the slow step again. */
const slowSite = (seconds: number) =>
  `FROM busybox:stable\nCOPY site/ /www/\nRUN sleep ${seconds}\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`;

let scratch: Awaited<ReturnType<typeof scratchDir>>;
const dataDirs: string[] = [];
/** A fresh data folder: an installation of its own, with no engine yet. */
const freshDataDir = (name: string) => {
  const dir = path.join(scratch.dir, name);
  dataDirs.push(dir);
  return dir;
};

beforeAll(async () => {
  scratch = await scratchDir('engine');
});

afterAll(async () => {
  for (const dir of dataDirs) {
    for (const app of APPS) await runSlipway(dir, ['apps', 'delete', app]).catch(() => undefined);
    await stopEngineProcess(dir);
    await stopEdgeProcess(dir);
  }
  for (const app of APPS) await removeSlipwayResources(docker, { app });
  await scratch.remove();
});

const json = async <T>(dataDir: string, argv: string[]): Promise<T> => {
  const run = await runSlipway(dataDir, [...argv, '-o', 'json']);
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out) as T;
};

/** Creates an app from a folder and deploys it with --wait; returns its URL. */
async function liveSite(dataDir: string, dir: string, name: string): Promise<string> {
  expect((await runSlipway(dataDir, ['apps', 'create', '--spec', path.join(dir, 'app.yaml')])).code).toBe(0);
  const deployed = await runSlipway(dataDir, ['apps', 'deploy', name, '--wait']);
  expect(deployed.code, deployed.err).toBe(0);
  const app = await json<AppDetail>(dataDir, ['apps', 'get', name]);
  return app.components.find((c) => c.name === 'web')!.url!;
}

describe('the engine, running on its own', () => {
  it('deploys in the background: `apps deploy` returns at once, the deployment goes live with nobody connected', async () => {
    const data = freshDataDir('background');
    const name = 'eng-background';
    const dir = await writeSiteApp(scratch.dir, { name, page: 'v1\n', dockerfile: slowSite(2) });
    const url = await liveSite(data, dir, name);
    expect((await httpGet(url)).body).toBe('v1\n');

    await writeFile(path.join(dir, 'site', 'index.html'), 'v2\n');
    const queued = await runSlipway(data, ['apps', 'deploy', name]);
    expect(queued.code, queued.err).toBe(0);
    expect(queued.ms).toBeLessThan(1_000);
    const id = /Deployment (\w+) queued/.exec(queued.out)?.[1];
    expect(id, queued.out).toBeDefined();
    expect(queued.out).toContain(`slipway apps cancel ${name}`);

    // The process that asked is gone; the engine carries on, and says so to whoever looks.
    const during = await engineStatus(data);
    expect(during).toMatchObject({ running: true, inFlight: 1, clients: 1 });
    const phases = new Set<string>();
    const done = await eventually(async () => {
      const d = await json<Deployment>(data, ['apps', 'get-deployment', name, id!]);
      phases.add(d.phase);
      return d.phase === 'ACTIVE' || d.phase === 'ERROR' ? d : null;
    }, 60_000);
    expect(done.phase, done.error?.message).toBe('ACTIVE');
    expect([...phases]).toContain('BUILDING');
    expect((await httpGet(url)).body).toBe('v2\n');
  });

  it('stops by itself once idle with no front end, and `engine status` then says so without starting one', async () => {
    const data = freshDataDir('idle');
    expect((await runSlipway(data, ['apps', 'list'])).code).toBe(0);
    const pid = await enginePid(data);
    expect(pid).not.toBeNull();
    await exitOf(pid!, 10_000);
    const status = await engineStatus(data);
    expect(status).toEqual({
      running: false,
      pid: null,
      socket: path.join(data, 'engine.sock'),
      version: null,
      clients: 0,
      inFlight: 0,
      stopping: false,
      log: path.join(data, 'logs', 'engine-process.log'),
    });
    expect(await engineProcessesOf(data)).toEqual([]);
  });

  it('after kill -9 mid-build, the next command starts a new engine that ends the deployment ERROR and leaves the old version serving', async () => {
    const data = freshDataDir('killed');
    const name = 'eng-killed';
    const dir = await writeSiteApp(scratch.dir, { name, page: 'v1\n', dockerfile: slowSite(1) });
    const url = await liveSite(data, dir, name);
    await writeFile(path.join(dir, 'Dockerfile'), slowSite(60));
    const queued = await runSlipway(data, ['apps', 'deploy', name]);
    const id = /Deployment (\w+) queued/.exec(queued.out)![1]!;
    // The build's slow step has begun when its log says so.
    await eventually(async () => {
      const logs = await runSlipway(data, ['apps', 'logs', name, '--type', 'build', '--deployment', id]);
      return /RUN sleep 60/.test(logs.out);
    });
    const killed = (await engineStatus(data)).pid!;
    process.kill(killed, 'SIGKILL');
    await exitOf(killed);

    const after = await json<Deployment>(data, ['apps', 'get-deployment', name, id]);
    expect(after.phase).toBe('ERROR');
    expect(after.error?.message).toContain('Interrupted');
    const status = await engineStatus(data);
    expect(status.running).toBe(true);
    expect(status.pid).not.toBe(killed);
    expect((await httpGet(url)).body).toBe('v1\n');
    expect(await leftoversOf(docker, name, id)).toEqual({ containers: [], images: [] });
  });

  it('of several front ends racing to start it, one engine serves them all, on a fresh folder and after a kill', async () => {
    const data = freshDataDir('race');
    const race = async () => {
      const runs = await Promise.all([1, 2, 3].map(() => runSlipway(data, ['apps', 'list', '-o', 'json'])));
      for (const run of runs) {
        expect(run.code, run.err).toBe(0);
        expect(JSON.parse(run.out)).toEqual([]);
      }
      // The engines that lost exit once they find the lock taken (one may still be loading now).
      const engines = await eventually(async () => {
        const alive = await engineProcessesOf(data);
        return alive.length === 1 ? alive : null;
      }, 15_000);
      expect(await enginePid(data)).toBe(engines[0]);
      return engines[0]!;
    };
    const first = await race();
    process.kill(first, 'SIGKILL'); // its lock, socket and token stay behind
    await exitOf(first);
    const second = await race();
    expect(second).not.toBe(first);
  });

  it('is reachable by its own user only: a 0600 socket in a 0700 folder, refused to another user', async () => {
    const data = freshDataDir('private');
    expect((await runSlipway(data, ['apps', 'list'])).code).toBe(0);
    const socket = path.join(data, 'engine.sock');
    expect((await stat(socket)).mode & 0o777).toBe(0o600);
    expect((await stat(data)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(data, 'engine.token'))).mode & 0o777).toBe(0o600);
    const probe = [
      `const s = require('node:net').connect(${JSON.stringify(socket)});`,
      "s.on('connect', () => { console.log('connected'); process.exit(0); });",
      "s.on('error', (e) => { console.log(e.code); process.exit(0); });",
    ].join('');
    const asNobody = execFileSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', probe],
      { encoding: 'utf8' },
    ).trim();
    expect(asNobody).toBe('EACCES');
  });

  it('`engine stop --now` cancels what is in flight, then stops; `engine stop` with nothing running says so', async () => {
    const data = freshDataDir('stop');
    const name = 'eng-stop';
    const dir = await writeSiteApp(scratch.dir, { name, dockerfile: slowSite(60) });
    const idle = { env: { SLIPWAY_ENGINE_IDLE_S: '30' } };
    expect((await runSlipway(data, ['apps', 'create', '--spec', path.join(dir, 'app.yaml')], idle)).code).toBe(0);
    const queued = await runSlipway(data, ['apps', 'deploy', name], idle);
    const id = /Deployment (\w+) queued/.exec(queued.out)![1]!;
    const pid = (await enginePid(data))!;

    // No terminal to ask at: --now goes ahead.
    const stopped = await runSlipway(data, ['engine', 'stop', '--now']);
    expect(stopped.code, stopped.err).toBe(0);
    expect(stopped.out).toBe(`Engine (pid ${pid}) stopped.\n`);
    await exitOf(pid);
    const after = await json<Deployment>(data, ['apps', 'get-deployment', name, id]);
    expect(after.phase).toBe('CANCELED');
    expect(after.canceled?.by).toBe('engine stop');
    expect(await leftoversOf(docker, name, id)).toEqual({ containers: [], images: [] });

    await stopEngineProcess(data);
    const nothing = await runSlipway(data, ['engine', 'stop']);
    expect(nothing.out).toBe(`No engine runs for ${data}.\n`);
    expect(await enginePid(data)).toBeNull();
  });

  it('takes -o json before or after the command', async () => {
    const data = freshDataDir('flags');
    const before = await runSlipway(data, ['-o', 'json', 'apps', 'list']);
    const after = await runSlipway(data, ['apps', 'list', '-o', 'json']);
    expect(before.code, before.err).toBe(0);
    expect(JSON.parse(before.out)).toEqual([]);
    expect(JSON.parse(after.out)).toEqual([]);
  });

  it('never mixes versions: a front end of another version is refused while work is in flight, and replaces an idle engine', async () => {
    const data = freshDataDir('versions');
    const name = 'eng-versions';
    const dir = await writeSiteApp(scratch.dir, { name, dockerfile: slowSite(60) });
    const idle = { env: { SLIPWAY_ENGINE_IDLE_S: '30' } };
    expect((await runSlipway(data, ['apps', 'create', '--spec', path.join(dir, 'app.yaml')], idle)).code).toBe(0);
    expect((await runSlipway(data, ['apps', 'deploy', name], idle)).code).toBe(0);
    const running = (await enginePid(data))!;
    const other = () =>
      connectEngine({ dataDir: data, script: ENGINE_SCRIPT, env: slipwayEnv(data), version: '0.0.1-other' });

    // Busy: refused, with what to do; the engine and its deployment are untouched.
    const refused = await other().catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'ENGINE_VERSION_MISMATCH' });
    expect((refused as Error).message).toContain('1 deployment(s) in flight');
    expect((refused as Error).message).toContain('version 0.1.0');
    expect(await enginePid(data)).toBe(running);

    // Idle: the old engine is stopped and a new one (of this bundle's version) takes its place.
    expect((await runSlipway(data, ['apps', 'cancel', name], idle)).code).toBe(0);
    const connection = await other();
    await exitOf(running);
    expect(connection.engine.pid).not.toBe(running);
    const answer = await connection.transport.call('apps.list', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'ENGINE_VERSION_MISMATCH' } });
    connection.close();
  });
});

describe('starting `slipway` as a user would', () => {
  it('prints how to follow and cancel when Ctrl-C ends --wait, and the deployment runs on', async () => {
    const data = freshDataDir('ctrl-c');
    const name = 'eng-ctrl-c';
    const dir = await writeSiteApp(scratch.dir, { name, dockerfile: slowSite(2) });
    expect((await runSlipway(data, ['apps', 'create', '--spec', path.join(dir, 'app.yaml')])).code).toBe(0);
    const waiting = startSlipway(data, ['apps', 'deploy', name, '--wait']);
    await waiting.printed(/… Build web/);
    waiting.interrupt();
    const run = await waiting.exited;
    expect(run.code).toBe(130);
    expect(run.err).toMatch(/Stopped following; deployment (\w+) runs on\./);
    expect(run.err).toContain(`slipway apps cancel ${name}`);
    const id = /deployment (\w+) runs on/.exec(run.err)![1]!;
    const done = await eventually(async () => {
      const d = await json<Deployment>(data, ['apps', 'get-deployment', name, id]);
      return d.phase === 'ACTIVE' || d.phase === 'ERROR' ? d : null;
    }, 60_000);
    expect(done.phase, done.error?.message).toBe('ACTIVE');
  });
});
