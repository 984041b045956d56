import { describe, expect, it } from 'vitest';
import type { LogLine } from '../deployment';
import { joinBacklog, LiveCursor, mergeBacklog } from './merge-lines';

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

/** A numbered line, as the engine writes build and deploy logs. */
const numbered = (seq: number, text = `line ${seq}`): LogLine => ({
  type: 'build',
  seq,
  time: '2026-01-01T00:00:00.000Z',
  line: text,
});
const seqs = (lines: readonly LogLine[]) => lines.map((l) => l.seq ?? l.line);

describe('joinBacklog', () => {
  it('takes the live lines numbered above the last line read, once each', () => {
    const { lines } = joinBacklog([numbered(1), numbered(2), numbered(3)], [numbered(2), numbered(3), numbered(4)]);
    expect(seqs(lines)).toEqual([1, 2, 3, 4]);
  });

  it('keeps equal lines apart by their numbers, where an overlap would merge them', () => {
    // Same text, same millisecond: the overlap guess cannot tell these apart, numbers can.
    const backlog = [numbered(1, 'x'), numbered(2, 'x')];
    const live = [numbered(2, 'x'), numbered(3, 'x'), numbered(4, 'x')];
    expect(seqs(joinBacklog(backlog, live).lines)).toEqual([1, 2, 3, 4]);
  });

  it('accepts gaps in the numbers (a filtered view) and keeps lines without a number', () => {
    const notice: LogLine = { type: 'build', time: 't', line: 'connection lost', notice: 'connection-lost' };
    const { lines } = joinBacklog([numbered(3), numbered(7)], [numbered(7), numbered(12), notice]);
    expect(seqs(lines)).toEqual([3, 7, 12, 'connection lost']);
  });

  it('falls back to the overlap when the file read holds no number', () => {
    const { lines } = joinBacklog([line(1), line(2)], [line(2), line(3)]);
    expect(lines.map((l) => l.line)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(seqs(joinBacklog([], [numbered(1)]).lines)).toEqual([1]);
  });

  it('hands on a cursor that drops what the file read held from the batches after', () => {
    const { lines, cursor } = joinBacklog([numbered(1), numbered(2), numbered(3), numbered(4)], [numbered(2)]);
    expect(seqs(lines)).toEqual([1, 2, 3, 4]);
    // The engine sends lines a little after writing them: a batch after the read may still hold some of it.
    expect(seqs(cursor.take([numbered(3), numbered(4), numbered(5)]))).toEqual([5]);
    const later = [numbered(6), numbered(7)];
    expect(cursor.take(later)).toBe(later);
  });
});

describe('LiveCursor', () => {
  it('stops dropping once the stream has passed the file read, even if numbers start again', () => {
    const cursor = new LiveCursor(10);
    expect(seqs(cursor.take([numbered(9), numbered(10)]))).toEqual([]);
    // A following of every deployment of an app: the next deployment numbers from 1.
    expect(seqs(cursor.take([numbered(11), numbered(1), numbered(2)]))).toEqual([11, 1, 2]);
    expect(seqs(cursor.take([numbered(3)]))).toEqual([3]);
  });

  it('passes everything when nothing read was numbered', () => {
    const batch = [numbered(1), line(2)];
    expect(new LiveCursor(undefined).take(batch)).toBe(batch);
  });
});
