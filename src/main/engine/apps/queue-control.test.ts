import { describe, expect, it } from 'vitest';
import { deploy } from './deployment-commands';
import { appRecord, fakeEngine, fakeScope, SHOP_SPEC } from './fake-engine.test-support';
import { cancel, cleanQueue, killBuild, queueOf } from './queue-control';

const latest = { app: 'shop', source: 'latest', forceRebuild: false, clearCache: false } as const;

async function threeQueued() {
  const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
  const scope = fakeScope(engine);
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await deploy(scope, latest)).id);
  return { engine, scope, ids };
}

describe('queueOf', () => {
  it('gives the running deployment and the waiting ones, in order', async () => {
    const { scope, ids } = await threeQueued();
    const queue = queueOf(scope, 'shop');
    expect(queue.running?.id).toBe(ids[0]);
    expect(queue.waiting.map((d) => d.id)).toEqual(ids.slice(1));
    expect(() => queueOf(scope, 'nope')).toThrow(expect.objectContaining({ code: 'APP_NOT_FOUND' }));
  });
});

describe('cleanQueue', () => {
  it('ends the dropped deployments DROPPED, by whom, with no duration, their steps skipped; the running one runs on', async () => {
    const { engine, scope, ids } = await threeQueued();
    const result = await cleanQueue(scope, { app: 'shop', by: 'ann' });
    expect(result).toEqual({ dropped: ids.slice(1) });
    for (const id of ids.slice(1)) {
      const d = engine.store.state.deployments.find((x) => x.id === id);
      expect(d).toMatchObject({
        phase: 'DROPPED',
        dropped: { by: 'ann' },
      });
      expect(d?.finishedAt).toBeUndefined();
      expect(d?.canceled).toBeUndefined();
      expect(d?.error).toBeUndefined();
      expect(d?.progress.every((s) => s.status === 'SKIPPED' && s.steps?.every((c) => c.status === 'SKIPPED'))).toBe(
        true,
      );
    }
    const running = engine.store.state.deployments.find((x) => x.id === ids[0]);
    expect(running?.phase).toBe('PENDING_BUILD');
    expect(scope.queue.running('shop')).toBe(ids[0]);
    expect(scope.queue.waiting('shop')).toEqual([]);
  });

  it('drops nothing when nothing waits', async () => {
    const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
    const scope = fakeScope(engine);
    expect(await cleanQueue(scope, { app: 'shop', by: 'ann' })).toEqual({ dropped: [] });
    await expect(cleanQueue(scope, { app: 'nope', by: 'ann' })).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });
});

describe('cancel and killBuild', () => {
  it('refuse when nothing is in flight', async () => {
    const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
    const scope = fakeScope(engine);
    await expect(cancel(scope, { app: 'shop', by: 'ann' })).rejects.toMatchObject({
      code: 'NOTHING_RUNNING',
      message: 'shop has no deployment in flight.',
    });
    await expect(killBuild(scope, { app: 'shop', by: 'ann' })).rejects.toMatchObject({
      code: 'NOTHING_RUNNING',
      message: 'shop has no build running.',
    });
  });

  it('cancel stops the running deployment, waits for it, and the next one starts', async () => {
    const { scope, ids } = await threeQueued();
    const stopped = await cancel(scope, { app: 'shop', by: 'ann' });
    expect(stopped.id).toBe(ids[0]);
    expect(scope.queue.running('shop')).toBe(ids[1]);
  });

  it('killBuild refuses a deployment past its build, and kills one that builds', async () => {
    const { engine, scope, ids } = await threeQueued();
    const first = engine.store.state.deployments.find((d) => d.id === ids[0]);
    if (!first) throw new Error('no deployment');
    first.phase = 'DEPLOYING';
    await expect(killBuild(scope, { app: 'shop', by: 'ann' })).rejects.toMatchObject({ code: 'NOTHING_RUNNING' });
    expect(scope.queue.running('shop')).toBe(ids[0]);
    first.phase = 'BUILDING';
    expect((await killBuild(scope, { app: 'shop', by: 'ann' })).id).toBe(ids[0]);
    expect(scope.queue.running('shop')).toBe(ids[1]);
  });
});
