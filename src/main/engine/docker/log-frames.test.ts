import { describe, expect, it } from 'vitest';
import { logFrameReader, readLogFrames } from './log-frames';

/** One frame of Docker's multiplexed log stream (1 stdout, 2 stderr). */
function frame(text: string, stream = 1): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

const T1 = '2026-12-02T10:00:00.000000001Z';
const T2 = '2026-12-02T10:00:00.500000002Z';
const texts = (buffer: Buffer, timestamps = false) => readLogFrames(buffer, { timestamps }).map((l) => l.text);

describe('docker logs frames', () => {
  it('splits the frames into lines, the last without its newline too', () => {
    expect(texts(Buffer.concat([frame('one\ntw'), frame('o\n'), frame('three')]))).toEqual(['one', 'two', 'three']);
  });

  it('cuts a 10 MB line at the bound instead of holding it whole', () => {
    const lines = texts(Buffer.concat([frame('x'.repeat(10 * 1024 * 1024)), frame('\nafter\n')]));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.length).toBeLessThan(1024 * 1024 + 100);
    expect(lines[0]).toMatch(/line cut at/);
    expect(lines[1]).toBe('after');
  });

  it('takes the stamp off every part of a long line, and gives the line the time of its first part', () => {
    // Docker cuts a line over 16 KiB into messages, each with its own stamp.
    const part = 'z'.repeat(16 * 1024);
    const lines = readLogFrames(
      Buffer.concat([frame(`${T1} ${part}`), frame(`${T2} ${part}`), frame(`${T2} end\n`), frame(`${T2} next\n`, 2)]),
      { timestamps: true },
    );
    expect(lines).toEqual([
      { time: T1, text: `${part}${part}end` },
      { time: T2, text: 'next' },
    ]);
  });

  it('reads frames and characters split across chunks, as a followed stream delivers them', () => {
    const bytes = Buffer.concat([frame(`${T1} Größe ✓\n`), frame(`${T2} 日本語 🚀\n`)]);
    const reader = logFrameReader({ timestamps: true });
    const lines = [];
    // One byte at a time: headers, stamps and multi-byte characters are all cut somewhere.
    for (let i = 0; i < bytes.length; i++) lines.push(...reader.push(bytes.subarray(i, i + 1)));
    lines.push(...reader.end());
    expect(lines).toEqual([
      { time: T1, text: 'Größe ✓' },
      { time: T2, text: '日本語 🚀' },
    ]);
  });

  it("reads a TTY container's plain text, stamps leading each line", () => {
    const lines = readLogFrames(Buffer.from(`${T1} first line\r\n${T2} second`), { timestamps: true });
    expect(lines).toEqual([
      { time: T1, text: 'first line' },
      { time: T2, text: 'second' },
    ]);
  });

  it('keeps a line whose text only looks stamped mid-way, and gives no time when asked for none', () => {
    expect(readLogFrames(frame(`say ${T1} hello\n`), { timestamps: false })).toEqual([
      { time: null, text: `say ${T1} hello` },
    ]);
  });
});
