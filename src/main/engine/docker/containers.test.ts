import { describe, expect, it } from 'vitest';
import { logLines } from './containers';

/** One frame of Docker's multiplexed log stream (stdout). */
function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('docker logs lines', () => {
  it('splits the frames into lines, the last without its newline too', () => {
    expect(logLines(Buffer.concat([frame('one\ntw'), frame('o\n'), frame('three')]))).toEqual(['one', 'two', 'three']);
  });

  it('cuts a 10 MB line at the bound instead of holding it whole', () => {
    const lines = logLines(Buffer.concat([frame('x'.repeat(10 * 1024 * 1024)), frame('\nafter\n')]));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.length).toBeLessThan(1024 * 1024 + 100);
    expect(lines[0]).toMatch(/line cut at/);
    expect(lines[1]).toBe('after');
  });
});
