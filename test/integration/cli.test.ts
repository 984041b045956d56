import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSlipwayResources } from '../support/cleanup';
import { eventually, HELLO_EXAMPLE, helloCopy, httpGet, scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';
import { runSlipway, stopEngineProcess } from '../support/slipway-process';

const docker = new Docker();
const APP = 'itest-cli';

/** Runs the built `slipway` as a user would, on the test's data folder; it reaches the engine there. */
async function slipway(dataDir: string, ...argv: string[]) {
  const run = await runSlipway(dataDir, argv);
  return { code: run.code, out: run.out.trimEnd(), err: run.err.trimEnd() };
}

/** Two services with no Dockerfile and no image: not deployable, an error for each. */
const UNBUILDABLE_SPEC = [
  'name: not-deployable',
  'services:',
  '  - name: webapp',
  '    dockerfile_path: Dockerfile',
  '    image:',
  '      registry_type: DOCKER_HUB',
  '      repository: nginx',
  '    git:',
  '      repo_clone_url: https://example.invalid/x.git',
  '  - name: api',
  '    http_port: 99999',
  '',
].join('\n');

describe('the slipway CLI on the real engine', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let data: string;
  let spec: string;

  beforeAll(async () => {
    scratch = await scratchDir('cli');
    data = path.join(scratch.dir, 'data');
    spec = path.join(await helloCopy(scratch.dir, APP), 'app.yaml');
  });

  afterAll(async () => {
    await slipway(data, 'apps', 'delete', APP);
    await stopEngineProcess(data);
    await stopEdgeProcess(data);
    await removeSlipwayResources(docker, { app: APP });
    await scratch.remove();
  });

  it('validates specs: exit 0 when deployable, 1 with every error when not', async () => {
    const good = await slipway(data, 'apps', 'spec', 'validate', path.join(HELLO_EXAMPLE, 'app.yaml'));
    expect(good.code).toBe(0);
    expect(good.out).toContain('deployable: service web');
    const unbuildable = path.join(scratch.dir, 'unbuildable.yaml');
    await writeFile(unbuildable, UNBUILDABLE_SPEC);
    const bad = await slipway(data, 'apps', 'spec', 'validate', unbuildable);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^Error: services\[0\]: .*git source .* and an image/m);
    expect(bad.out).toMatch(/^Error: services\[1\]\.http_port: /m);
    expect(bad.out).toContain('not deployable');
  });

  it('creates, deploys with --wait showing progress, lists and reads logs', async () => {
    const created = await slipway(data, 'apps', 'create', '--spec', spec);
    expect(created.code, created.err).toBe(0);
    const deployed = await slipway(data, 'apps', 'deploy', APP, '--wait');
    expect(deployed.code, deployed.err).toBe(0);
    expect(deployed.err).toContain('✓ Build web');
    expect(deployed.err).toContain('✓ Wait until healthy');
    const url = /web: (http:\/\/127\.0\.0\.1:\d+)/.exec(deployed.out)![1]!;
    expect((await httpGet(url)).body).toContain('v1');

    const list = await slipway(data, 'apps', 'list');
    expect(list.out).toMatch(new RegExp(`${APP}\\s+local\\s+live`));
    const json = JSON.parse((await slipway(data, 'apps', 'list-deployments', APP, '-o', 'json')).out);
    expect(json[0]).toMatchObject({ app: APP, phase: 'ACTIVE', cause: 'manual' });
    const logs = await slipway(data, 'apps', 'logs', APP, 'web', '--type', 'build');
    expect(logs.out).toMatch(/web \| Step 1\/\d+ : FROM busybox:stable/);
    const got = await slipway(data, 'apps', 'get-deployment', APP, json[0].id);
    expect(got.out).toContain('Phase:     ACTIVE');
    expect(got.out).toContain('✓ Go live');
  });

  it('restarts, shows a rollback diff, rolls back, shows the queue and clears old deployments', async () => {
    const restarted = await slipway(data, 'apps', 'restart', APP, '--components', 'web', '--wait');
    expect(restarted.code, restarted.err).toBe(0);
    expect(restarted.err).toContain('✓ Replace instance 1');

    await writeFile(spec, (await readFile(spec, 'utf8')).replace('Hello from Slipway', 'Hello again'));
    expect((await slipway(data, 'apps', 'update', APP, '--spec', spec)).code).toBe(0);
    expect((await slipway(data, 'apps', 'deploy', APP, '--wait')).code).toBe(0);

    const diff = await slipway(data, 'apps', 'rollback', APP, '--diff');
    expect(diff.code, diff.err).toBe(0);
    expect(diff.out).toContain('-        value: Hello again');
    expect(diff.out).toContain('+        value: Hello from Slipway');
    expect(diff.out).toContain('Env changed: web/GREETING');
    const rolled = await slipway(data, 'apps', 'rollback', APP, '--wait');
    expect(rolled.code, rolled.err).toBe(0);

    // --wait ends when the rollback is live; the engine then drains the version it replaced, in the background.
    const queue = await eventually(async () => {
      const shown = await slipway(data, 'apps', 'queue', APP);
      return shown.out === 'Running: -' ? shown : null;
    });
    expect(queue.code).toBe(0);
    const cancel = await slipway(data, 'apps', 'cancel', APP);
    expect(cancel.code).toBe(1);
    expect(cancel.err).toContain('NOTHING_RUNNING');
    const cleared = await slipway(data, 'apps', 'clear-deployments', APP);
    expect(cleared.out).toBe('Removed 0 old deployment(s).');
  });

  it('exits non-zero with the error code for an unknown app, and 2 for a bad flag', async () => {
    const missing = await slipway(data, 'apps', 'get', 'no-such-app');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('Error [APP_NOT_FOUND]: There is no app named no-such-app.');
    const bad = await slipway(data, 'apps', 'logs', APP, '--type', 'nonsense');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--type must be build, deploy or run');
    const flag = await slipway(data, 'apps', 'deploy', APP, '--frobnicate');
    expect(flag.code).toBe(2);
  });
});
