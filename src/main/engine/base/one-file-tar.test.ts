import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { oneFileTar } from './one-file-tar';

async function entries(tar: Buffer): Promise<Array<{ name: string; type: string; mode: number; content: string }>> {
  const found: Array<{ name: string; type: string; mode: number; content: string }> = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (chunk: unknown) => {
        chunks.push(chunk as Buffer);
      });
      body.on('end', () => {
        found.push({
          name: header.name,
          type: header.type ?? '',
          mode: (header.mode ?? 0) & 0o7777,
          content: Buffer.concat(chunks).toString('utf8'),
        });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  Readable.from([tar]).pipe(ex);
  await done;
  return found;
}

describe('a tar of one file', () => {
  it('holds that one file, readable by a tar reader, in whole blocks', async () => {
    const tar = oneFileTar('Dockerfile', 'FROM sha256:abc\nLABEL "a"="ü"\n');
    expect(tar.length % 512).toBe(0);
    expect(await entries(tar)).toEqual([
      { name: 'Dockerfile', type: 'file', mode: 0o644, content: 'FROM sha256:abc\nLABEL "a"="ü"\n' },
    ]);
  });

  it('is the same bytes for the same content, and pads a body of exactly one block with nothing', async () => {
    expect(oneFileTar('f', 'x').equals(oneFileTar('f', 'x'))).toBe(true);
    const full = oneFileTar('f', Buffer.alloc(512, 'a'));
    expect(full.length).toBe(512 + 512 + 1024);
    expect((await entries(full))[0]!.content).toBe('a'.repeat(512));
  });

  it('refuses a name it cannot store in the header', () => {
    expect(() => oneFileTar('', 'x')).toThrow(/must be 1 to 100/);
    expect(() => oneFileTar('a'.repeat(101), 'x')).toThrow(/must be 1 to 100/);
  });
});
