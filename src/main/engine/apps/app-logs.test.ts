import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/deployment';
import type { DeploymentLogs } from '../logs/deployment-logs';
import { followLogs, readLogs } from './app-logs';
import { appRecord, deploymentRecord, fakeEngine, fakeHost, SHOP_SPEC } from './fake-engine.test-support';

/** Logs that answer with what they were asked. */
function askedLogs(asked: unknown[]) {
  return {
    read: async (...args: unknown[]) => {
      asked.push(['read', ...args]);
      return [];
    },
    follow: async (...args: unknown[]) => {
      asked.push(['follow', ...args.slice(0, 3)]);
      return () => asked.push(['stopped']);
    },
  } as unknown as DeploymentLogs;
}

describe('readLogs', () => {
  it('reads the deployment named, else the latest, filtered by type and component', async () => {
    const engine = fakeEngine({
      apps: [appRecord('shop', SHOP_SPEC)],
      deployments: [
        deploymentRecord('shop', 'd1', 'ACTIVE', SHOP_SPEC),
        deploymentRecord('shop', 'd2', 'ERROR', SHOP_SPEC),
      ],
    });
    const asked: unknown[] = [];
    engine.ctx.logs = askedLogs(asked);
    await readLogs(engine.ctx, { app: 'shop', type: 'build' });
    await readLogs(engine.ctx, { app: 'shop', type: 'deploy', deployment: 'd1', component: 'web', tail: 5 });
    expect(asked).toEqual([
      ['read', 'shop', 'd2', { type: 'build' }, undefined],
      ['read', 'shop', 'd1', { type: 'deploy', component: 'web' }, 5],
    ]);
    await expect(readLogs(engine.ctx, { app: 'shop', type: 'build', deployment: 'd9' })).rejects.toMatchObject({
      code: 'DEPLOYMENT_NOT_FOUND',
    });
  });

  it('gives nothing for an app without deployments, or run logs with nothing live', async () => {
    const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
    expect(await readLogs(engine.ctx, { app: 'shop', type: 'build' })).toEqual([]);
    expect(await readLogs(engine.ctx, { app: 'shop', type: 'run' })).toEqual([]);
  });
});

describe('followLogs', () => {
  it('ends with a connection-lost line when the host’s connection ends, and only once', async () => {
    const engine = fakeEngine({ apps: [{ ...appRecord('shop', SHOP_SPEC), server: 'box' }] });
    let close = () => undefined as void;
    const host = { ...fakeHost('box'), closed: new Promise<void>((resolve) => (close = resolve)) };
    engine.ctx.hostFor = async () => host;
    const asked: unknown[] = [];
    engine.ctx.logs = askedLogs(asked);
    const lines: LogLine[][] = [];

    const stop = await followLogs(engine.ctx, { app: 'shop', type: 'build', component: 'web' }, (l) => lines.push(l));
    expect(asked).toEqual([['follow', 'shop', undefined, { type: 'build', component: 'web' }]]);
    close();
    await host.closed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      [expect.objectContaining({ type: 'build', notice: 'connection-lost', line: expect.stringContaining('box') })],
    ]);
    stop();
    expect(asked).toContainEqual(['stopped']);
    expect(lines).toHaveLength(1);
  });

  it('says nothing once the reader has stopped', async () => {
    const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
    let close = () => undefined as void;
    const host = { ...fakeHost('local'), closed: new Promise<void>((resolve) => (close = resolve)) };
    engine.ctx.hostFor = async () => host;
    engine.ctx.logs = askedLogs([]);
    const lines: LogLine[][] = [];
    const stop = await followLogs(engine.ctx, { app: 'shop', type: 'deploy' }, (l) => lines.push(l));
    stop();
    close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([]);
  });
});
