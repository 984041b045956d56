import { describe, expect, it } from 'vitest';
import { deploy, restart, rollback } from './deployment-commands';
import { appRecord, deploymentRecord, fakeEngine, fakeScope, SHOP_SPEC } from './fake-engine.test-support';

function setup() {
  const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
  return { engine, scope: fakeScope(engine) };
}

const latest = { app: 'shop', source: 'latest', forceRebuild: false, clearCache: false } as const;

describe('deploy', () => {
  it('refuses an app it does not know', async () => {
    const { scope } = setup();
    await expect(deploy(scope, { ...latest, app: 'nope' })).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });

  it('refuses a redeploy when nothing is live, and queues nothing', async () => {
    const { engine, scope } = setup();
    engine.store.state.deployments.push(deploymentRecord('shop', 'd1', 'ERROR', SHOP_SPEC));
    await expect(deploy(scope, { ...latest, source: 'same-revision' })).rejects.toMatchObject({
      code: 'NOTHING_RUNNING',
      message: 'shop has no live deployment to redeploy.',
    });
    expect(engine.store.state.deployments.map((d) => d.id)).toEqual(['d1']);
    expect(scope.queue.inFlight()).toBe(0);
    expect(scope.events).toEqual([]);
  });

  it('stores a deployment PENDING_BUILD, tells the subscribers and queues it', async () => {
    const { engine, scope } = setup();
    const deployment = await deploy(scope, latest);
    expect(deployment).toMatchObject({
      app: 'shop',
      phase: 'PENDING_BUILD',
      cause: 'manual',
      plan: { type: 'build', revision: null },
      specYaml: SHOP_SPEC,
      options: { forceRebuild: false, clearCache: false },
    });
    expect(deployment.progress.map((s) => s.name)).toEqual(['build', 'deploy']);
    expect(engine.store.state.deployments).toEqual([deployment]);
    expect(scope.events).toEqual([{ type: 'deployment', deployment }]);
    expect(scope.queue.running('shop')).toBe(deployment.id);
  });

  it('fixes a redeploy on the live revision, and names a forced rebuild', async () => {
    const { engine, scope } = setup();
    engine.store.state.deployments.push(deploymentRecord('shop', 'd1', 'ACTIVE', SHOP_SPEC));
    const redeploy = await deploy(scope, { ...latest, source: 'same-revision' });
    expect(redeploy).toMatchObject({ cause: 'redeploy', plan: { type: 'build', revision: 'rev-d1' } });
    const forced = await deploy(scope, { ...latest, forceRebuild: true, clearCache: true });
    expect(forced).toMatchObject({
      cause: 'force rebuild',
      options: { forceRebuild: true, clearCache: true },
    });
    expect(scope.queue.waiting('shop')).toEqual([forced.id]);
  });

  it('refuses an app whose stored spec no longer loads', async () => {
    const { engine, scope } = setup();
    engine.store.state.apps.push(appRecord('broken', 'name: Broken Spec\n'));
    await expect(deploy(scope, { ...latest, app: 'broken' })).rejects.toMatchObject({ code: 'SPEC_INVALID' });
  });
});

describe('restart', () => {
  it('refuses an app with nothing live', async () => {
    const { scope } = setup();
    await expect(restart(scope, { app: 'shop' })).rejects.toMatchObject({ code: 'NOTHING_RUNNING' });
  });

  it('refuses components that are not running services or workers', async () => {
    const { engine, scope } = setup();
    engine.store.state.deployments.push(deploymentRecord('shop', 'd1', 'ACTIVE', SHOP_SPEC));
    await expect(restart(scope, { app: 'shop', components: ['web', 'nope'] })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'components: nope is not a running service or worker of shop (jobs are not restarted).',
    });
    await expect(restart(scope, { app: 'shop', components: ['migrate', 'nope'] })).rejects.toMatchObject({
      details: { issues: [{ path: 'components', message: 'unknown: migrate, nope' }] },
    });
    expect(scope.queue.inFlight()).toBe(0);
    expect(engine.store.state.deployments).toHaveLength(1);
  });

  it('restarts every service and worker when none is named, from the live spec', async () => {
    const { engine, scope } = setup();
    const liveSpec = SHOP_SPEC.replace('repository: nginx', 'repository: caddy');
    engine.store.state.deployments.push(deploymentRecord('shop', 'd1', 'ACTIVE', liveSpec));
    const all = await restart(scope, { app: 'shop' });
    expect(all).toMatchObject({
      cause: 'restart',
      plan: { type: 'restart', components: ['web', 'api', 'worker'], base: 'd1' },
      specYaml: liveSpec,
    });
    const one = await restart(scope, { app: 'shop', components: ['api'] });
    expect(one.plan).toEqual({ type: 'restart', components: ['api'], base: 'd1' });
    expect(one.progress[1]?.steps?.map((s) => s.name)).toEqual(['deploy.initialize', 'deploy.api', 'deploy.finalize']);
  });
});

describe('rollback', () => {
  const withHistory = () => {
    const setupResult = setup();
    const { engine } = setupResult;
    const older = SHOP_SPEC.replace('repository: busybox', 'repository: alpine');
    engine.store.state.deployments.push(
      deploymentRecord('shop', 'd1', 'SUPERSEDED', older, ['web']),
      deploymentRecord('shop', 'd2', 'ERROR', SHOP_SPEC, ['web']),
      deploymentRecord('shop', 'd3', 'SUPERSEDED', SHOP_SPEC, ['web']),
      deploymentRecord('shop', 'd4', 'ACTIVE', SHOP_SPEC, ['web']),
    );
    for (const id of ['d1', 'd3', 'd4']) engine.host.images.add(`slipway/shop-web:${id}`);
    return { ...setupResult, older };
  };

  it('goes to the newest earlier successful deployment, with its spec, building nothing', async () => {
    const { scope } = withHistory();
    const deployment = await rollback(scope, { app: 'shop' });
    expect(deployment).toMatchObject({ cause: 'rollback to d3', plan: { type: 'rollback', target: 'd3' } });
    expect(scope.queue.running('shop')).toBe(deployment.id);
  });

  it('goes to the deployment named', async () => {
    const { scope, older } = withHistory();
    const deployment = await rollback(scope, { app: 'shop', deployment: 'd1' });
    expect(deployment).toMatchObject({ plan: { type: 'rollback', target: 'd1' }, specYaml: older });
  });

  it('refuses a deployment that did not succeed, one it does not know, and the live one', async () => {
    const { scope } = withHistory();
    await expect(rollback(scope, { app: 'shop', deployment: 'd2' })).rejects.toMatchObject({
      code: 'ROLLBACK_UNAVAILABLE',
      message:
        'Deployment d2 cannot be rolled back to: only the 10 most recent successful deployments keep their images.',
    });
    await expect(rollback(scope, { app: 'shop', deployment: 'd9' })).rejects.toMatchObject({
      message: 'shop has no deployment d9.',
    });
    await expect(rollback(scope, { app: 'shop', deployment: 'd4' })).rejects.toMatchObject({
      code: 'ROLLBACK_UNAVAILABLE',
    });
    expect(scope.queue.inFlight()).toBe(0);
  });

  it('refuses a target whose image is gone from the host', async () => {
    const { engine, scope } = withHistory();
    engine.host.images.delete('slipway/shop-web:d3');
    await expect(rollback(scope, { app: 'shop' })).rejects.toMatchObject({
      code: 'ROLLBACK_UNAVAILABLE',
      message: 'Deployment d3 cannot be rolled back to: its image slipway/shop-web:d3 is no longer on local.',
    });
  });

  it('refuses when there is no earlier successful deployment', async () => {
    const { engine, scope } = setup();
    engine.store.state.deployments.push(deploymentRecord('shop', 'd1', 'ACTIVE', SHOP_SPEC));
    await expect(rollback(scope, { app: 'shop' })).rejects.toMatchObject({
      message: 'shop has no earlier successful deployment to roll back to.',
    });
  });
});
