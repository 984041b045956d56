import { describe, expect, it } from 'vitest';
import { DeployQueue, DeploymentStop } from './deploy-queue';

/** A runner whose deployments end when the test says so, or when they are stopped. */
function controlledRunner() {
  const runs = new Map<string, { signal: AbortSignal; finish: () => void }>();
  const started: string[] = [];
  const queue = new DeployQueue(
    (app, id, signal) =>
      new Promise<void>((resolve) => {
        started.push(`${app}/${id}`);
        runs.set(id, { signal, finish: resolve });
        signal.addEventListener('abort', () => resolve());
      }),
  );
  const run = (id: string) => {
    const found = runs.get(id);
    if (!found) throw new Error(`${id} never started`);
    return found;
  };
  return { queue, started, finish: (id: string) => run(id).finish(), signal: (id: string) => run(id).signal };
}

/** Lets the queue start the next deployment after one ended. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('DeployQueue', () => {
  it('runs one deployment per app at a time, the others in the order they came', async () => {
    const { queue, started, finish } = controlledRunner();
    queue.enqueue('shop', 'd1');
    queue.enqueue('shop', 'd2');
    queue.enqueue('shop', 'd3');
    expect(started).toEqual(['shop/d1']);
    expect(queue.running('shop')).toBe('d1');
    expect(queue.waiting('shop')).toEqual(['d2', 'd3']);

    finish('d1');
    await tick();
    expect(started).toEqual(['shop/d1', 'shop/d2']);
    expect(queue.running('shop')).toBe('d2');
    expect(queue.waiting('shop')).toEqual(['d3']);

    finish('d2');
    await tick();
    finish('d3');
    await tick();
    expect(started).toEqual(['shop/d1', 'shop/d2', 'shop/d3']);
    expect(queue.running('shop')).toBeNull();
    expect(queue.waiting('shop')).toEqual([]);
  });

  it('does not make apps wait for each other', async () => {
    const { queue, started, finish } = controlledRunner();
    queue.enqueue('shop', 's1');
    queue.enqueue('blog', 'b1');
    queue.enqueue('shop', 's2');
    expect(started).toEqual(['shop/s1', 'blog/b1']);
    expect(queue.running('blog')).toBe('b1');

    finish('b1');
    await tick();
    expect(queue.running('blog')).toBeNull();
    expect(queue.running('shop')).toBe('s1');
    expect(queue.waiting('shop')).toEqual(['s2']);
  });

  it('gives a copy of the waiting line, and nothing for an app it never saw', () => {
    const { queue } = controlledRunner();
    expect(queue.running('nope')).toBeNull();
    expect(queue.waiting('nope')).toEqual([]);
    queue.enqueue('shop', 'd1');
    queue.enqueue('shop', 'd2');
    queue.waiting('shop').push('d9');
    expect(queue.waiting('shop')).toEqual(['d2']);
  });

  it('stops the running deployment with the reason given, and then starts the next', async () => {
    const { queue, started, signal } = controlledRunner();
    expect(queue.stopRunning('shop', new DeploymentStop('cancel', 'ann'))).toBeNull();
    queue.enqueue('shop', 'd1');
    queue.enqueue('shop', 'd2');

    const stop = new DeploymentStop('kill', 'ann');
    expect(queue.stopRunning('shop', stop)).toBe('d1');
    expect(signal('d1').aborted).toBe(true);
    expect(signal('d1').reason).toBe(stop);
    expect((signal('d1').reason as DeploymentStop).kind).toBe('kill');
    expect((signal('d1').reason as DeploymentStop).by).toBe('ann');

    await queue.settled('shop', 'd1');
    expect(queue.running('shop')).toBe('d2');
    expect(started).toEqual(['shop/d1', 'shop/d2']);
    expect(signal('d2').aborted).toBe(false);
  });

  it('says why a deployment was stopped', () => {
    expect(new DeploymentStop('cancel', 'ann').message).toBe('canceled');
    expect(new DeploymentStop('kill', 'ann').message).toBe('build killed');
    expect(new DeploymentStop('shutdown', 'slipway').message).toBe('Slipway is shutting down');
  });

  it('drops the waiting deployments but never the running one', async () => {
    const { queue, started, finish } = controlledRunner();
    expect(queue.clearWaiting('nope')).toEqual([]);
    queue.enqueue('shop', 'd1');
    queue.enqueue('shop', 'd2');
    queue.enqueue('shop', 'd3');
    queue.enqueue('blog', 'b1');
    queue.enqueue('blog', 'b2');

    expect(queue.clearWaiting('shop')).toEqual(['d2', 'd3']);
    expect(queue.waiting('shop')).toEqual([]);
    expect(queue.running('shop')).toBe('d1');
    expect(queue.waiting('blog')).toEqual(['b2']);

    finish('d1');
    await tick();
    expect(queue.running('shop')).toBeNull();
    expect(started.filter((s) => s.startsWith('shop/'))).toEqual(['shop/d1']);
  });

  it('counts what is running or waiting, and which apps are busy', async () => {
    const { queue, finish } = controlledRunner();
    expect(queue.inFlight()).toBe(0);
    expect(queue.busyApps()).toEqual([]);
    queue.enqueue('shop', 'd1');
    queue.enqueue('shop', 'd2');
    queue.enqueue('blog', 'b1');
    expect(queue.inFlight()).toBe(3);
    expect(queue.busyApps()).toEqual(['shop', 'blog']);

    finish('b1');
    await tick();
    expect(queue.inFlight()).toBe(2);
    expect(queue.busyApps()).toEqual(['shop']);

    queue.clearWaiting('shop');
    expect(queue.inFlight()).toBe(1);
    finish('d1');
    await queue.idle('shop');
    expect(queue.inFlight()).toBe(0);
    expect(queue.busyApps()).toEqual([]);
  });

  it('resolves settled and idle at once for what never ran', async () => {
    const { queue } = controlledRunner();
    await queue.settled('shop', 'd1');
    await queue.idle('shop');
    expect(queue.inFlight()).toBe(0);
  });

  it('on close, drops what waits and stops what runs, as a shutdown', async () => {
    const { queue, started, signal } = controlledRunner();
    queue.enqueue('shop', 'd1');
    queue.enqueue('shop', 'd2');
    queue.enqueue('blog', 'b1');
    await queue.close();
    expect(started).toEqual(['shop/d1', 'blog/b1']);
    expect((signal('d1').reason as DeploymentStop).kind).toBe('shutdown');
    expect((signal('b1').reason as DeploymentStop).by).toBe('slipway');
    expect(queue.inFlight()).toBe(0);
  });
});
