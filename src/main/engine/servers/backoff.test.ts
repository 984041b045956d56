import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff';

describe('reconnectDelay', () => {
  it('doubles from one second up to a minute', () => {
    expect([0, 1, 2, 5, 6, 10].map((n) => reconnectDelay(n, () => 0.5))).toEqual([
      1000, 2000, 4000, 32000, 60000, 60000,
    ]);
  });

  it('spreads attempts by at most 20% either way', () => {
    expect(reconnectDelay(3, () => 0)).toBe(6400);
    expect(reconnectDelay(3, () => 1)).toBe(9600);
  });
});
