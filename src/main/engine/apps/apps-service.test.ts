import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../../shared/domains/apps';
import { AppsService } from './apps-service';
import { appRecord, deploymentRecord, fakeEngine, SHOP_SPEC } from './fake-engine.test-support';

// The facade's wiring; what each entry does is tested next to its module.
describe('AppsService', () => {
  it('answers create, list, get and findApp from the store, and tells subscribers', async () => {
    const engine = fakeEngine();
    const apps = new AppsService(engine.ctx);
    const events: AppEvent[] = [];
    const stop = apps.subscribe('shop', (e) => events.push(e));
    const detail = await apps.create({ specYaml: SHOP_SPEC, hostPorts: { web: 41000 } });
    expect(detail).toMatchObject({ name: 'shop', status: 'new', sourcePath: null });
    expect(apps.list().map((a) => a.name)).toEqual(['shop']);
    expect(apps.get('shop')).toEqual(detail);
    expect(apps.findApp('shop')?.hostPorts).toEqual({ web: 41000 });
    expect(apps.findApp('nope')).toBeUndefined();
    expect(() => apps.get('nope')).toThrow(expect.objectContaining({ code: 'APP_NOT_FOUND' }));
    expect(events).toEqual([{ type: 'app', app: apps.summary(engine.store.state.apps[0]!) }]);
    stop();
  });

  it('sends the summaries of one server’s apps', () => {
    const remote = { ...appRecord('far', SHOP_SPEC.replace('name: shop', 'name: far')), server: 'box' };
    const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC), remote] });
    const apps = new AppsService(engine.ctx);
    const events: AppEvent[] = [];
    apps.subscribe(undefined, (e) => events.push(e));
    apps.emitSummaries('box');
    expect(events).toEqual([{ type: 'app', app: expect.objectContaining({ name: 'far' }) }]);
  });

  it('lists deployments newest first, and refuses what it does not know', async () => {
    const engine = fakeEngine({
      apps: [appRecord('shop', SHOP_SPEC)],
      deployments: [
        deploymentRecord('shop', 'd1', 'SUPERSEDED', SHOP_SPEC),
        deploymentRecord('shop', 'd2', 'ACTIVE', SHOP_SPEC),
      ],
    });
    const apps = new AppsService(engine.ctx);
    expect(apps.listDeployments('shop').map((d) => d.id)).toEqual(['d2', 'd1']);
    expect(apps.getDeployment('shop', 'd1').id).toBe('d1');
    expect(() => apps.getDeployment('shop', 'd9')).toThrow(expect.objectContaining({ code: 'DEPLOYMENT_NOT_FOUND' }));
    expect(apps.rollbackTargets('shop').map((d) => d.id)).toEqual(['d1']);
    expect(apps.queueOf('shop')).toEqual({ running: null, waiting: [] });
    await expect(apps.restart({ app: 'shop', components: ['nope'] })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(apps.readLogs({ app: 'nope', type: 'build' })).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
    expect(apps.queue.inFlight()).toBe(0);
  });
});
