import { describe, expect, it } from 'vitest';
import { deploy, restart } from './deployment-commands';
import { writeDeployLogHeading } from './deploy-log-heading';
import { appRecord, deploymentRecord, fakeEngine, fakeScope, SHOP_SPEC } from './fake-engine.test-support';

function setup() {
  const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
  return { engine, scope: fakeScope(engine) };
}

const latest = { app: 'shop', source: 'latest', forceRebuild: false, clearCache: false } as const;

describe('deployment titles', () => {
  it('records the given title and description; the heading written for it is "title: note"', async () => {
    const { engine, scope } = setup();
    const d = await deploy(scope, { ...latest, title: 'Fix login', description: 'Sessions last\n30 days' });
    expect(d).toMatchObject({ title: 'Fix login', description: 'Sessions last\n30 days', cause: 'manual' });
    // Queuing writes nothing: the run writes the heading first thing, so queued order is kept.
    expect(engine.writtenLogs).toEqual([]);
    await writeDeployLogHeading(engine.ctx, d);
    expect(engine.writtenLogs).toEqual([
      `shop/${d.id} deploy: Fix login: Sessions last`,
      `shop/${d.id} deploy:   30 days`,
    ]);
  });

  it('titles a deploy "Manual deployment", a redeploy and a force rebuild "Rebuild deployment"', async () => {
    const { engine, scope } = setup();
    engine.store.state.deployments.push(deploymentRecord('shop', 'live1', 'ACTIVE', SHOP_SPEC, ['web']));
    const plain = await deploy(scope, latest);
    const again = await deploy(scope, { ...latest, source: 'same-revision' });
    const forced = await deploy(scope, { ...latest, forceRebuild: true, description: '   ' });
    expect([plain.title, again.title, forced.title]).toEqual([
      'Manual deployment',
      'Rebuild deployment',
      'Rebuild deployment',
    ]);
    // The cause, which decides whether an image may be reused, is as it was.
    expect([plain.cause, again.cause, forced.cause]).toEqual(['manual', 'redeploy', 'force rebuild']);
    expect(forced.description).toBeUndefined();
    await writeDeployLogHeading(engine.ctx, forced);
    expect(engine.writtenLogs).toEqual([`shop/${forced.id} deploy: Rebuild deployment`]);
  });

  it('titles a restart by its generated cause', async () => {
    const { engine, scope } = setup();
    engine.store.state.deployments.push(deploymentRecord('shop', 'live1', 'ACTIVE', SHOP_SPEC, ['web']));
    const d = await restart(scope, { app: 'shop' });
    expect(d).toMatchObject({ cause: 'restart', title: 'restart' });
    await writeDeployLogHeading(engine.ctx, d);
    expect(engine.writtenLogs).toEqual([`shop/${d.id} deploy: restart`]);
  });
});
