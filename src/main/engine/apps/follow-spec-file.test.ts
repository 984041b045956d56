import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deploy } from './deployment-commands';
import { appRecord, fakeEngine, fakeScope, SHOP_SPEC } from './fake-engine.test-support';
import { specFileStatus } from './spec-file-status';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'slipway-follow-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const latest = { app: 'shop', source: 'latest', forceRebuild: false, clearCache: false } as const;

async function fileBacked(text: string) {
  const file = path.join(dir, 'app.yaml');
  await writeFile(file, text);
  const app = { ...appRecord('shop', SHOP_SPEC), specFile: file };
  const engine = fakeEngine({ apps: [app] });
  return { engine, scope: fakeScope(engine), app, file };
}

const TWO = SHOP_SPEC.replace(
  '  - name: api\n',
  '    instance_count: 2\n    envs:\n      - key: TOKEN\n        value: hunter2-secret\n        type: SECRET\n  - name: api\n',
);

describe('a spec that follows its file', () => {
  it('deploys the file as it is now, its secrets sealed in the deployment and the app', async () => {
    const { scope, app, file } = await fileBacked(TWO);
    expect(await specFileStatus(scope.ctx, app)).toEqual({ path: file, changedFields: 2 });
    const deployment = await deploy(scope, latest);
    expect(deployment.specYaml).toContain('instance_count: 2');
    expect(deployment.specYaml).not.toContain('hunter2-secret');
    expect(app.specYaml).toBe(deployment.specYaml);
    expect(await specFileStatus(scope.ctx, app)).toEqual({ path: file, changedFields: 0 });
  });

  it('queues deploys asked together in the order they were asked', async () => {
    const { scope } = await fileBacked(TWO);
    const asked = await Promise.all([1, 2, 3, 4].map(() => deploy(scope, latest)));
    expect([scope.queue.running('shop'), ...scope.queue.waiting('shop')]).toEqual(asked.map((d) => d.id));
  });

  it('keeps the stored spec as it is when the file did not change', async () => {
    const { scope, app } = await fileBacked(SHOP_SPEC);
    const before = app.updatedAt;
    await deploy(scope, latest);
    expect(app.updatedAt).toBe(before);
  });

  it('records an invalid file as a deployment that failed at its first step, naming the field, and queues nothing', async () => {
    const { engine, scope, app, file } = await fileBacked(
      SHOP_SPEC.replace('  - name: api\n', '    instance_count: -1\n  - name: api\n'),
    );
    const refused = deploy(scope, latest);
    await expect(refused).rejects.toMatchObject({ code: 'SPEC_INVALID' });
    await expect(refused).rejects.toThrow(/services\[0\]\.instance_count/);
    expect(scope.queue.inFlight()).toBe(0);
    const [failed] = engine.store.state.deployments;
    expect(failed).toMatchObject({ phase: 'ERROR', cause: 'manual', specYaml: '', error: { code: 'SPEC_INVALID' } });
    expect(failed!.error!.message).toMatch(/services\[0\]\.instance_count/);
    expect(failed!.progress).toMatchObject([{ name: 'spec', title: 'Read app.yaml', status: 'ERROR' }]);
    expect(engine.writtenLogs.some((l) => l.includes('deploy: services[0].instance_count'))).toBe(true);
    expect(app.specYaml).toBe(SHOP_SPEC);
    expect(await specFileStatus(scope.ctx, app)).toMatchObject({
      path: file,
      error: expect.stringMatching(/^app\.yaml does not load: 1 error/),
    });
  });

  it('refuses a file that renames the app, and one that is gone', async () => {
    const { scope, file } = await fileBacked(SHOP_SPEC.replace('name: shop', 'name: other'));
    await expect(deploy(scope, latest)).rejects.toMatchObject({
      code: 'SPEC_INVALID',
      message: expect.stringMatching(/name: .* names other, but this is shop/),
    });
    await rm(file);
    await expect(deploy(scope, latest)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('cannot read'),
    });
  });
});
