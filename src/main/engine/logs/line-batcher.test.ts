import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLineBatcher, MAX_BATCH_LINES } from './line-batcher';

describe('createLineBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends a batch 50 ms after its first line', () => {
    const batches: number[][] = [];
    const batcher = createLineBatcher<number>((items) => batches.push(items));
    batcher.push(1);
    vi.advanceTimersByTime(30);
    batcher.push(2);
    vi.advanceTimersByTime(19);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2]]);
    vi.advanceTimersByTime(500);
    expect(batches).toHaveLength(1);
  });

  it('sends a full batch at once, without waiting for a timer a busy engine would never run', () => {
    const batches: number[][] = [];
    const batcher = createLineBatcher<number>((items) => batches.push(items));
    // A flood written in one go: no timer can fire in between.
    for (let i = 0; i < 2 * MAX_BATCH_LINES + 5; i++) batcher.push(i);
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH_LINES, MAX_BATCH_LINES]);
    expect(batches[1]![0]).toBe(MAX_BATCH_LINES);
    vi.advanceTimersByTime(50);
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH_LINES, MAX_BATCH_LINES, 5]);
    expect(batches.flat()).toEqual(Array.from({ length: 2 * MAX_BATCH_LINES + 5 }, (_, i) => i));
  });

  it('starts the delay again after a full batch, and flushes on demand', () => {
    const batches: number[][] = [];
    const batcher = createLineBatcher<number>((items) => batches.push(items), { maxLines: 3, delayMs: 10 });
    batcher.push(1);
    vi.advanceTimersByTime(9);
    batcher.push(2);
    batcher.push(3);
    expect(batches).toEqual([[1, 2, 3]]);
    batcher.push(4);
    vi.advanceTimersByTime(9);
    expect(batches).toHaveLength(1);
    batcher.flush();
    expect(batches).toEqual([[1, 2, 3], [4]]);
    batcher.flush();
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(2);
  });
});
