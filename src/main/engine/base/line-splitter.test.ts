import { describe, expect, it } from 'vitest';
import { cutMarker, lineSplitter } from './line-splitter';

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

  it('ends lines at \\n and \\r\\n, also when the two are in separate chunks, and gives the rest at the end', () => {
    const split = lineSplitter();
    expect(split.push('a\r\nb\nc')).toEqual(['a', 'b']);
    expect(split.push('d\r')).toEqual([]);
    expect(split.push('\ne')).toEqual(['cd']);
    expect(split.end()).toEqual(['e']);
  });

  it('cuts a line longer than the limit with a marker, and drops the rest of it up to its newline', () => {
    const split = lineSplitter({ maxLineLength: 4 });
    expect(split.push('abcdefghij')).toEqual([`abcd${cutMarker(4)}`]);
    expect(split.push('klmnop')).toEqual([]);
    expect(split.push('qr\nnext\nlonger than four\n')).toEqual(['next', `long${cutMarker(4)}`]);
    expect(split.end()).toEqual([]);
  });

  it('gives a 10 MB line without a newline once, cut at the bound, instead of buffering it', () => {
    const split = lineSplitter();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const lines: string[] = [];
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) lines.push(...split.push(chunk));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('x'.repeat(1024 * 1024) + cutMarker(1024 * 1024));
    expect(split.push('\nafter\n')).toEqual(['after']);
    expect(split.end()).toEqual([]);
  });

  it('can end lines at a lone \\r too, as progress output redraws them', () => {
    const split = lineSplitter({ breakOnCarriageReturn: true });
    expect(split.push('10%\r20%\r')).toEqual(['10%', '20%']);
    expect(split.push('\ndone\r\n')).toEqual(['done']);
    expect(lineSplitter().push('10%\r20%\n')).toEqual(['10%\r20%']);
  });

  it('in strict mode, refuses a line over the limit and bytes that are not UTF-8', () => {
    const long = lineSplitter({ maxLineLength: 4, strict: true });
    expect(long.push('abcd\n')).toEqual(['abcd']);
    expect(() => long.push('abcde')).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => lineSplitter({ maxLineLength: 4, strict: true }).push('abcdef\n')).toThrow(/longer than 4/);

    const bytes = lineSplitter({ strict: true });
    expect(bytes.push(Buffer.from('ok ✓\n'))).toEqual(['ok ✓']);
    expect(() => bytes.push(Buffer.from([0x61, 0xff, 0x0a]))).toThrow(/not valid UTF-8/);
    // A character cut at the end of the stream is not UTF-8 either.
    const cut = lineSplitter({ strict: true });
    expect(cut.push(Buffer.from([0x61, 0xe2, 0x9c]))).toEqual([]);
    expect(() => cut.end()).toThrow(/not valid UTF-8/);
  });

  it('turns bytes that are not UTF-8 into U+FFFD in a log', () => {
    expect(lineSplitter().push(Buffer.from([0x61, 0xff, 0x62, 0x0a]))).toEqual(['a\uFFFDb']);
  });
});
