import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/main/engine/daemon/engine-launcher';
import type { EngineConnection } from '../../src/main/engine/daemon/local-socket-client';
import { contract } from '../../src/shared/contract';
import type { Deployment, LogLine } from '../../src/shared/deployment';
import type { AppDetail, RollbackValidation } from '../../src/shared/domains/apps';
import { createClient } from '../../src/shared/rpc/client';
import { useCliScratch } from '../support/cli-scratch';
import { eventually, httpGet, setPageVersion, writeSiteApp } from '../support/deploy-fixtures';
import { ENGINE_SCRIPT, runSlipway, slipwayEnv, startSlipway } from '../support/slipway-process';

const STORED = 'pin-stored';
const FILED = 'pin-file';
const scratch = useCliScratch('rollback-pin', [STORED, FILED]);
const docker = new Docker();

const SERVICE = [
  '  - name: web',
  '    dockerfile_path: Dockerfile',
  '    http_port: 8080',
  '    health_check:',
  '      http_path: /',
  '    instance_count: 1',
].join('\n');

const cli = (argv: string[]) => runSlipway(scratch.data(), argv);

async function json<T>(argv: string[]): Promise<T> {
  const run = await cli([...argv, '-o', 'json']);
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out) as T;
}

/** Runs a deployment command with --wait and returns the deployment once it has finished, old version removed. */
async function settled(argv: string[]): Promise<Deployment> {
  const done = await json<Deployment>([...argv, '--wait']);
  expect(done.phase, done.error?.message).toBe('ACTIVE');
  return eventually(async () => {
    const d = await json<Deployment>(['apps', 'get-deployment', argv[2]!, done.id]);
    return d.finishedAt ? d : null;
  });
}

const runningCount = async (app: string) =>
  (await docker.listContainers({ filters: { label: [`dev.slipway.app=${app}`], status: ['running'] } })).length;

const pageOf = async (app: string) =>
  (await httpGet((await json<AppDetail>(['apps', 'get', app])).components[0]!.url!)).body;

async function bumpToTwo(dir: string, version: string) {
  const file = path.join(dir, 'app.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('instance_count: 1', 'instance_count: 2'));
  await setPageVersion(dir, version);
  await writeFile(path.join(dir, 'site', 'index.html'), `${version}\n`);
}

/** Stands for the window: an app created from pasted YAML keeps its spec in Slipway (no file to follow). */
let window: EngineConnection;
beforeAll(async () => {
  window = await connectEngine({ dataDir: scratch.data(), script: ENGINE_SCRIPT, env: slipwayEnv(scratch.data()) });
});
afterAll(() => window?.close());

describe('the rollback pin', () => {
  it('pins a rollback, refuses deploys, reverts without building, commits the rolled-back spec, validates', async () => {
    const dir = await writeSiteApp(scratch.dir(), { name: STORED, page: 'v1\n', services: SERVICE });
    const specYaml = await readFile(path.join(dir, 'app.yaml'), 'utf8');
    await createClient(contract, window.transport).apps.create({ specYaml, sourcePath: dir });
    const v1 = await settled(['apps', 'deploy', STORED]);
    await bumpToTwo(dir, 'v2');
    const updated = await json<AppDetail>(['apps', 'update', STORED, '--spec', path.join(dir, 'app.yaml')]);
    expect(updated.specFile).toBeUndefined();
    const v2 = await settled(['apps', 'deploy', STORED]);
    expect(await runningCount(STORED)).toBe(2);

    // Roll back to v1: pinned to it.
    const rolled = await settled(['apps', 'rollback', STORED, '--deployment', v1.id]);
    expect((await json<AppDetail>(['apps', 'get', STORED])).pinned).toEqual({
      deployment: rolled.id,
      target: v1.id,
      previous: v2.id,
    });
    expect(await runningCount(STORED)).toBe(1);
    expect(await pageOf(STORED)).toBe('v1\n');
    expect((await cli(['apps', 'get', STORED])).out).toContain(`Pinned:   to rollback ${rolled.id} (to ${v1.id})`);

    // Deploys are refused, saying how to commit or revert.
    for (const command of ['deploy', 'redeploy']) {
      const refused = await cli(['apps', command, STORED]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('[ROLLBACK_PINNED]');
      expect(refused.err).toContain(`slipway apps commit-rollback ${STORED}`);
      expect(refused.err).toContain(`slipway apps revert-rollback ${STORED}`);
    }
    // A restart restarts the pinned version, and stays pinned.
    await settled(['apps', 'restart', STORED]);
    expect(await pageOf(STORED)).toBe('v1\n');
    expect((await json<AppDetail>(['apps', 'get', STORED])).pinned?.deployment).toBe(rolled.id);

    // Revert: what was live before the rollback, its images, nothing built.
    const reverted = await settled(['apps', 'revert-rollback', STORED]);
    expect(reverted.plan).toEqual({ type: 'rollback', target: v2.id, pin: 'clear' });
    expect(reverted.images.web!.id).toBe(v2.images.web!.id);
    expect(reverted.images.web!.built).toBe(false);
    expect(reverted.progress[0]).toMatchObject({ name: 'build', status: 'SKIPPED' });
    expect((await json<AppDetail>(['apps', 'get', STORED])).pinned).toBeUndefined();
    expect(await runningCount(STORED)).toBe(2);
    expect(await pageOf(STORED)).toBe('v2\n');

    // Roll back again and commit: the stored spec becomes v1's, so the next deploy runs one instance.
    await settled(['apps', 'rollback', STORED, '--deployment', v1.id]);
    const committed = await json<AppDetail>(['apps', 'commit-rollback', STORED]);
    expect(committed.pinned).toBeUndefined();
    expect(committed.specYaml).toContain('instance_count: 1');
    const next = await settled(['apps', 'deploy', STORED]);
    expect(next.plan.type).toBe('build');
    expect(await runningCount(STORED)).toBe(1);

    // validate-rollback: a target whose image tag was removed is not valid, nor is the live one.
    expect(await json<RollbackValidation>(['apps', 'validate-rollback', STORED, '--deployment', v2.id])).toEqual({
      valid: true,
      warnings: [],
    });
    await docker.getImage(`slipway/${STORED}-web:${v2.id}`).remove();
    const gone = await cli(['apps', 'validate-rollback', STORED, '--deployment', v2.id, '-o', 'json']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.out)).toEqual({
      valid: false,
      error: {
        code: 'ROLLBACK_UNAVAILABLE',
        message: `Deployment ${v2.id} cannot be rolled back to: its image slipway/${STORED}-web:${v2.id} is no longer on local.`,
      },
      warnings: [],
    });
    const text = await cli(['apps', 'validate-rollback', STORED, '--deployment', next.id]);
    expect(text.code).toBe(1);
    expect(text.out).toContain(`A rollback to ${next.id} is not valid: deployment: ${next.id} is the live deployment`);
    expect((await json<Deployment[]>(['apps', 'list-deployments', STORED]))[0]!.id).toBe(next.id);
  });

  it('after a commit, a file-backed app deploys its file again, its log showing the diff against the rolled-back version', async () => {
    const dir = await writeSiteApp(scratch.dir(), { name: FILED, page: 'v1\n', services: SERVICE });
    expect((await cli(['apps', 'create', '--spec', dir])).code).toBe(0);
    const v1 = await settled(['apps', 'deploy', FILED]);
    await bumpToTwo(dir, 'v2');
    await settled(['apps', 'deploy', FILED]);
    const rolled = await settled(['apps', 'rollback', FILED, '--deployment', v1.id]);
    const pinned = await json<AppDetail>(['apps', 'get', FILED]);
    expect(pinned.pinned?.deployment).toBe(rolled.id);
    expect(pinned.specFile).toEqual({ path: path.join(dir, 'app.yaml'), changedFields: 1 });
    expect((await cli(['apps', 'deploy', FILED])).err).toContain('[ROLLBACK_PINNED]');

    const committed = await cli(['apps', 'commit-rollback', FILED]);
    expect(committed.out).toContain(`The next deploy reads ${path.join(dir, 'app.yaml')} again.`);
    const queued = await json<Deployment>(['apps', 'deploy', FILED]);
    const follow = startSlipway(scratch.data(), [
      'apps',
      'logs',
      FILED,
      '--type',
      'deploy',
      '--deployment',
      queued.id,
      '--follow',
      '-o',
      'json',
    ]);
    await follow.printed(/is live\./, 120_000);
    follow.interrupt();
    const lines = (await follow.exited).out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as LogLine).line);
    expect(lines).toContain(`Spec changes from the live deployment ${rolled.id}: 1 field`);
    expect(lines).toContain(`--- live (${rolled.id})`);
    expect(lines).toContain('-    instance_count: 1');
    expect(lines).toContain('+    instance_count: 2');
    await eventually(async () => (await runningCount(FILED)) === 2);
    expect(await pageOf(FILED)).toBe('v2\n');
  });
});
