import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLastLines } from './read-tail';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'slipway-tail-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

const keep = (raw: string) => raw;

describe('readLastLines', () => {
  it('reads the last lines across chunk boundaries, whatever the chunk size', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(i % 17)}`);
    const file = await fileWith('many.txt', `${lines.join('\n')}\n`);
    for (const chunk of [1, 2, 7, 64, 1000, 1 << 20]) {
      expect(await readLastLines(file, 5, keep, chunk)).toEqual(lines.slice(-5));
      expect(await readLastLines(file, 500, keep, chunk)).toEqual(lines);
    }
  });

  it('keeps multi-byte characters whole when a chunk ends inside one', async () => {
    const lines = ['héllo wörld', '日本語のログ', 'emoji 🚀🚀', 'plain'];
    const file = await fileWith('utf8.txt', `${lines.join('\n')}\n`);
    for (const chunk of [1, 2, 3, 5]) expect(await readLastLines(file, 10, keep, chunk)).toEqual(lines);
  });

  it('counts only the lines picked, and reads a last line without a newline', async () => {
    const file = await fileWith('picked.txt', 'a1\nb1\na2\n\nb2\na3');
    const onlyA = (raw: string) => (raw.startsWith('a') ? raw : undefined);
    expect(await readLastLines(file, 2, onlyA, 3)).toEqual(['a2', 'a3']);
    expect(await readLastLines(file, 9, onlyA, 3)).toEqual(['a1', 'a2', 'a3']);
    expect(await readLastLines(file, 9, keep, 4)).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
  });

  it('answers nothing for an empty file or no count, and fails on a missing file', async () => {
    expect(await readLastLines(await fileWith('empty.txt', ''), 3, keep)).toEqual([]);
    expect(await readLastLines(await fileWith('one.txt', 'x\n'), 0, keep)).toEqual([]);
    await expect(readLastLines(path.join(dir, 'missing.txt'), 3, keep)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
