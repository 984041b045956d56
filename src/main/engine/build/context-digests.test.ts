import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextDigests } from './context-digests';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'slipway-digests-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(rel: string, content: string) {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

describe('contextDigests', () => {
  it('digests the files the build context sends, by their path in the source folder', async () => {
    await write('web/Dockerfile', 'FROM busybox:stable\n');
    await write('web/site/index.html', 'v1');
    await write('web/.dockerignore', 'secret.txt\n');
    await write('web/secret.txt', 'not sent');
    await write('other/file', 'not in the context');
    await symlink('site/index.html', path.join(root, 'web/link'));
    const options = { sourceRoot: root, sourceDir: 'web', dockerfilePath: 'web/Dockerfile' };
    const first = await contextDigests(options);
    expect(Object.keys(first).sort()).toEqual([
      'web/.dockerignore',
      'web/Dockerfile',
      'web/link',
      'web/site/index.html',
    ]);
    expect(Object.values(first).every((d) => /^[0-9a-f]{16}$/.test(d))).toBe(true);

    await write('web/site/index.html', 'v2');
    await write('web/secret.txt', 'changed, but never sent');
    const second = await contextDigests(options);
    expect(second['web/site/index.html']).not.toBe(first['web/site/index.html']);
    expect(second['web/Dockerfile']).toBe(first['web/Dockerfile']);
  });

  it('includes a Dockerfile from outside the context under its own path', async () => {
    await write('docker/web.Dockerfile', 'FROM busybox:stable\n');
    await write('app/index.html', 'x');
    const digests = await contextDigests({
      sourceRoot: root,
      sourceDir: 'app',
      dockerfilePath: 'docker/web.Dockerfile',
    });
    expect(Object.keys(digests).sort()).toEqual(['app/index.html', 'docker/web.Dockerfile']);
  });
});
