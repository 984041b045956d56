import { describe, expect, it } from 'vitest';
import type { DeploymentPhase } from '../../../shared/deployment';
import { clearDeployments } from './clear-deployments';
import { appRecord, deploymentRecord, fakeEngine, fakeScope, SHOP_SPEC } from './fake-engine.test-support';

describe('clearDeployments', () => {
  it('keeps the live deployment, the rollback targets and what is in flight; removes the rest and their logs', async () => {
    // 13 successful deployments (s01..s13, s13 live), failures between them, one running and one waiting.
    const phases: [string, DeploymentPhase][] = [];
    for (let i = 1; i <= 13; i++) {
      phases.push([`s${String(i).padStart(2, '0')}`, i === 13 ? 'ACTIVE' : 'SUPERSEDED']);
      if (i % 4 === 0) phases.push([`e${i}`, 'ERROR']);
    }
    phases.push(['c1', 'CANCELED'], ['r1', 'PENDING_BUILD'], ['w1', 'PENDING_BUILD']);
    const engine = fakeEngine({
      apps: [appRecord('shop', SHOP_SPEC), appRecord('blog', SHOP_SPEC.replace('name: shop', 'name: blog'))],
      deployments: [
        ...phases.map(([id, phase]) => deploymentRecord('shop', id, phase, SHOP_SPEC)),
        deploymentRecord('blog', 'b1', 'ERROR', SHOP_SPEC),
      ],
    });
    const scope = fakeScope(engine);
    scope.queue.enqueue('shop', 'r1');
    scope.queue.enqueue('shop', 'w1');

    const { removed } = await clearDeployments(scope, 'shop');

    expect(removed).toEqual(['s01', 's02', 's03', 'e4', 'e8', 'e12', 'c1']);
    expect(engine.removedLogs).toEqual(removed.map((id) => `shop/${id}`));
    const left = engine.store.state.deployments.map((d) => d.id);
    expect(left).toEqual(['s04', 's05', 's06', 's07', 's08', 's09', 's10', 's11', 's12', 's13', 'r1', 'w1', 'b1']);
  });

  it('removes nothing of an app with only what it keeps, and refuses an app it does not know', async () => {
    const engine = fakeEngine({
      apps: [appRecord('shop', SHOP_SPEC)],
      deployments: [deploymentRecord('shop', 'd1', 'ACTIVE', SHOP_SPEC)],
    });
    const scope = fakeScope(engine);
    expect(await clearDeployments(scope, 'shop')).toEqual({ removed: [] });
    expect(engine.store.state.deployments).toHaveLength(1);
    await expect(clearDeployments(scope, 'nope')).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });
});
