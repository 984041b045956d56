import { describe, expect, it } from 'vitest';
import { deploy } from './deployment-commands';
import { appRecord, deploymentRecord, fakeEngine, fakeScope, SHOP_SPEC } from './fake-engine.test-support';
import { pinChange } from './pin-guard';
import { commitRollback, revertRollback } from './rollback-pin';
import { validateRollback } from './validate-rollback';

const ONE = SHOP_SPEC.replace('repository: nginx', 'repository: caddy');

/** shop: d1 (the rolled-back spec) went live again as rollback r1, pinned; d2 was live before. */
function pinned(specFile?: string) {
  const app = { ...appRecord('shop', SHOP_SPEC), ...(specFile ? { specFile } : {}) };
  app.pin = { deployment: 'r1', target: 'd1', previous: 'd2', at: '2026-01-02T00:00:00.000Z' };
  const engine = fakeEngine({ apps: [app] });
  engine.store.state.deployments.push(
    deploymentRecord('shop', 'd1', 'SUPERSEDED', ONE, ['web']),
    deploymentRecord('shop', 'd2', 'SUPERSEDED', SHOP_SPEC, ['web']),
    { ...deploymentRecord('shop', 'r1', 'ACTIVE', ONE, ['web']), plan: { type: 'rollback', target: 'd1', pin: 'set' } },
  );
  for (const id of ['d1', 'd2', 'r1']) engine.host.images.add(`slipway/shop-web:${id}`);
  return { engine, scope: fakeScope(engine), app };
}

const latest = { app: 'shop', source: 'latest', forceRebuild: false, clearCache: false } as const;

describe('the rollback pin', () => {
  it('pins a rollback unless skipped, and a revert unpins', () => {
    expect(pinChange(false)).toEqual({ pin: 'set' });
    expect(pinChange(true)).toEqual({});
    expect(pinChange(false, 'r1')).toEqual({ pin: 'clear' });
  });

  it('refuses a deploy and a redeploy while pinned, saying how to commit or revert', async () => {
    const { scope } = pinned();
    for (const source of ['latest', 'same-revision'] as const) {
      await expect(deploy(scope, { ...latest, source })).rejects.toMatchObject({
        code: 'ROLLBACK_PINNED',
        message:
          'app: shop is pinned to rollback r1 (to d1); deploys are refused until you keep it (slipway apps commit-rollback shop) or return to d2 (slipway apps revert-rollback shop).',
      });
    }
    expect(scope.queue.inFlight()).toBe(0);
  });

  it('commits: the stored spec becomes the rolled-back one and deploys are allowed again', async () => {
    const { scope, app } = pinned();
    const detail = await commitRollback(scope, 'shop');
    expect(app.pin).toBeUndefined();
    expect(app.specYaml).toBe(ONE);
    expect(detail.pinned).toBeUndefined();
    const next = await deploy(scope, latest);
    expect(next.specYaml).toBe(ONE);
  });

  it('commits a file-backed app without touching its spec: the file is read at the next deploy', async () => {
    const { scope, app } = pinned('/nonexistent/app.yaml');
    await commitRollback(scope, 'shop');
    expect(app.pin).toBeUndefined();
    expect(app.specYaml).toBe(SHOP_SPEC);
  });

  it('refuses to commit or revert an app that is not pinned', async () => {
    const { scope, app } = pinned();
    delete app.pin;
    await expect(commitRollback(scope, 'shop')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(revertRollback(scope, 'shop')).rejects.toMatchObject({
      message: 'app: shop is not pinned to a rollback.',
    });
  });

  it('reverts with a rollback to what was live before, which unpins at go-live', async () => {
    const { scope, app } = pinned();
    const revert = await revertRollback(scope, 'shop');
    expect(revert).toMatchObject({
      cause: 'revert of rollback r1',
      plan: { type: 'rollback', target: 'd2', pin: 'clear' },
      specYaml: SHOP_SPEC,
    });
    expect(app.pin).toBeDefined();
  });
});

describe('validateRollback', () => {
  it('accepts a retained deployment whose images are present', async () => {
    const { engine } = pinned();
    expect(await validateRollback(engine.ctx, { app: 'shop', deployment: 'd2' })).toEqual({
      valid: true,
      warnings: [],
    });
  });

  it('refuses the live deployment, one whose image is gone and one it does not know, deploying nothing', async () => {
    const { engine } = pinned();
    expect(await validateRollback(engine.ctx, { app: 'shop', deployment: 'r1' })).toMatchObject({
      valid: false,
      error: {
        code: 'ROLLBACK_UNAVAILABLE',
        message: 'deployment: r1 is the live deployment of shop; a rollback goes to an earlier one.',
      },
    });
    engine.host.images.delete('slipway/shop-web:d1');
    expect(await validateRollback(engine.ctx, { app: 'shop', deployment: 'd1' })).toMatchObject({
      valid: false,
      error: {
        message: 'Deployment d1 cannot be rolled back to: its image slipway/shop-web:d1 is no longer on local.',
      },
    });
    expect(await validateRollback(engine.ctx, { app: 'shop', deployment: 'd9' })).toMatchObject({
      valid: false,
      error: { message: 'shop has no deployment d9.' },
    });
    expect(engine.store.state.deployments).toHaveLength(3);
  });
});
