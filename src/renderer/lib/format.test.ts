import { describe, expect, it } from 'vitest';
import { formatBytes, recentSuccessful } from './format';

describe('formatBytes', () => {
  it('reads like df -h', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(3.4 * 1024 ** 3)).toBe('3.4 GB');
    expect(formatBytes(120 * 1024 ** 3)).toBe('120 GB');
    expect(formatBytes(2 * 1024 ** 6)).toBe('2048 PB');
  });

  it('shows a dash for what is not a size', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('recentSuccessful', () => {
  it('names the count the engine keeps, and none while it is not known', () => {
    expect(recentSuccessful(3)).toBe('3 most recent successful');
    expect(recentSuccessful(null)).toBe('most recent successful');
  });
});
