import { describe, expect, it } from 'vitest';
import { execFrameReader } from './exec-frames';

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};
const shown = (frames: ReturnType<ReturnType<typeof execFrameReader>['push']>) =>
  frames.map((f) => `${f.stream}:${f.data.toString()}`);

describe('execFrameReader', () => {
  it('splits stdout and stderr frames, several in a chunk', () => {
    const reader = execFrameReader();
    expect(shown(reader.push(Buffer.concat([frame(1, 'abc\n'), frame(2, 'oops\n'), frame(1, '')])))).toEqual([
      'stdout:abc\n',
      'stderr:oops\n',
    ]);
  });

  it('joins a frame cut anywhere across chunks, its header too', () => {
    const bytes = Buffer.concat([frame(1, ' ?column? \n'), frame(2, 'ERROR')]);
    const reader = execFrameReader();
    const out: string[] = [];
    for (let i = 0; i < bytes.length; i += 3) out.push(...shown(reader.push(bytes.subarray(i, i + 3))));
    expect(out).toEqual(['stdout: ?column? \n', 'stderr:ERROR']);
  });
});
