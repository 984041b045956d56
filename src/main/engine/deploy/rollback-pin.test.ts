import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../shared/deployment';
import type { AppRecord } from '../store/state-store';
import { applyRollbackPin } from './rollback-pin';
import type { RunContext } from './run-context';

function runOf(plan: Deployment['plan'], pin?: AppRecord['pin']) {
  const app = { name: 'shop', updatedAt: '', ...(pin ? { pin } : {}) } as AppRecord;
  const lines: string[] = [];
  const run = {
    app,
    deployment: { id: 'r2', plan },
    ctx: { store: { update: async (change: () => void) => change() } },
    log: { write: (_type: string, line: string) => void lines.push(line) },
  } as unknown as RunContext;
  return { run, app, lines };
}

describe('applyRollbackPin', () => {
  it('pins a rollback at go-live to what it replaced, and says so in the log', async () => {
    const { run, app, lines } = runOf({ type: 'rollback', target: 'd1', pin: 'set' });
    await applyRollbackPin(run, 'd2');
    expect(app.pin).toMatchObject({ deployment: 'r2', target: 'd1', previous: 'd2' });
    expect(lines[0]).toContain('slipway apps commit-rollback shop');
  });

  it('keeps the first previous across a second rollback while pinned', async () => {
    const { run, app } = runOf(
      { type: 'rollback', target: 'd0', pin: 'set' },
      { deployment: 'r1', target: 'd1', previous: 'd2', at: '' },
    );
    await applyRollbackPin(run, 'r1');
    expect(app.pin).toMatchObject({ deployment: 'r2', target: 'd0', previous: 'd2' });
  });

  it('unpins on a revert and on a build queued before the pin; a skipped pin or a restart leaves it', async () => {
    const pin = { deployment: 'r1', target: 'd1', previous: 'd2', at: '' };
    const revert = runOf({ type: 'rollback', target: 'd2', pin: 'clear' }, pin);
    await applyRollbackPin(revert.run, 'r1');
    expect(revert.app.pin).toBeUndefined();
    const build = runOf({ type: 'build', revision: null }, pin);
    await applyRollbackPin(build.run, 'r1');
    expect(build.app.pin).toBeUndefined();
    expect(build.lines).toEqual(['shop is no longer pinned to a rollback.']);
    const others: Deployment['plan'][] = [
      { type: 'rollback', target: 'd2' },
      { type: 'restart', components: ['web'], base: 'r1' },
    ];
    for (const plan of others) {
      const other = runOf(plan, pin);
      await applyRollbackPin(other.run, 'r1');
      expect(other.app.pin).toBe(pin);
      expect(other.lines).toEqual([]);
    }
  });
});
