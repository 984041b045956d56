import { describe, expect, it } from 'vitest';
import { lineSplitter } from './line-splitter';

describe('lineSplitter', () => {
  it('keeps a multi-byte character whole when a chunk ends inside it', () => {
    const bytes = Buffer.from('Größe ✓ 日本語 🚀\nnext\n');
    const split = lineSplitter();
    const lines: string[] = [];
    // One byte at a time: every character's bytes arrive in separate chunks.
    for (let i = 0; i < bytes.length; i++) lines.push(...split.push(bytes.subarray(i, i + 1)));
    expect(lines).toEqual(['Größe ✓ 日本語 🚀', 'next']);
    expect(lines.join('')).not.toContain('\uFFFD');
  });

  it('ends lines at \\n and \\r\\n, and gives the rest at the end', () => {
    const split = lineSplitter();
    expect(split.push('a\r\nb\nc')).toEqual(['a', 'b']);
    expect(split.push('d')).toEqual([]);
    expect(split.end()).toEqual(['cd']);
  });

  it('cuts a line longer than the limit instead of holding it without bound', () => {
    const split = lineSplitter({ maxLineLength: 4 });
    expect(split.push('abcdefghij')).toEqual(['abcd', 'efgh']);
    expect(split.end()).toEqual(['ij']);
  });

  it('can end lines at a lone \\r too, as progress output redraws them', () => {
    const split = lineSplitter({ breakOnCarriageReturn: true });
    expect(split.push('10%\r20%\r')).toEqual(['10%']);
    expect(split.push('\ndone\r\n')).toEqual(['20%', 'done']);
    expect(lineSplitter().push('10%\r20%\n')).toEqual(['10%\r20%']);
  });
});
