import { describe, expect, it } from 'vitest';
import { pickStablePort, portCandidates, STABLE_PORTS } from './host-ports';

describe('stable host ports', () => {
  it('never offers a port another app holds, nor one of the ephemeral range', () => {
    const taken = new Set([20_000, 20_001, 25_000]);
    const candidates = portCandidates(taken, { first: 24_000, last: 26_000 }, 20_000);
    expect(candidates[0]).toBe(20_002);
    expect(candidates.some((p) => taken.has(p))).toBe(false);
    expect(candidates.some((p) => p >= 24_000 && p <= 26_000)).toBe(false);
    expect(Math.min(...candidates)).toBeGreaterThanOrEqual(STABLE_PORTS.first);
    expect(Math.max(...candidates)).toBeLessThanOrEqual(STABLE_PORTS.last);
  });

  it('starts where it is told and wraps around the range', () => {
    const candidates = portCandidates(new Set(), { first: 49_152, last: 65_535 }, STABLE_PORTS.last);
    expect(candidates.slice(0, 2)).toEqual([STABLE_PORTS.last, STABLE_PORTS.first]);
    expect(candidates).toHaveLength(STABLE_PORTS.last - STABLE_PORTS.first + 1);
  });

  it('skips ports something already listens on', async () => {
    const busy = new Set<number>();
    const picked = await pickStablePort(new Set(), async (port) => {
      if (busy.size < 3) {
        busy.add(port);
        return false;
      }
      return true;
    });
    expect(busy.has(picked)).toBe(false);
    expect(busy.size).toBe(3);
  });

  it('gives many apps in a row different ports', async () => {
    const taken = new Set<number>();
    for (let i = 0; i < 50; i++) taken.add(await pickStablePort(taken, async () => true));
    expect(taken.size).toBe(50);
  });
});
