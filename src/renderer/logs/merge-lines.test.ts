import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/deployment';
import { mergeBacklog } from './merge-lines';

const line = (n: number, text = `line ${n}`): LogLine => ({
  type: 'build',
  component: 'web',
  time: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
  line: text,
});

describe('mergeBacklog', () => {
  it('keeps lines seen in both the file and the live stream once', () => {
    const merged = mergeBacklog([line(1), line(2), line(3)], [line(2), line(3), line(4)]);
    expect(merged.map((l) => l.line)).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('joins them whole when they do not overlap', () => {
    expect(mergeBacklog([line(1)], [line(2)])).toHaveLength(2);
    expect(mergeBacklog([], [line(2)])).toEqual([line(2)]);
    expect(mergeBacklog([line(1)], [])).toEqual([line(1)]);
  });

  it('finds the longest overlap even when a line repeats', () => {
    const a = line(5, 'same');
    const merged = mergeBacklog([line(1), a, line(6), a], [a, line(7)]);
    expect(merged.map((l) => l.line)).toEqual(['line 1', 'same', 'line 6', 'same', 'line 7']);
  });

  it('does not mistake equal text at another time for an overlap', () => {
    const merged = mergeBacklog([line(1, 'x')], [line(2, 'x')]);
    expect(merged).toHaveLength(2);
  });
});
