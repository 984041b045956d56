import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDockerfile } from './read-dockerfile';

describe('reading a component Dockerfile', () => {
  let dir: string;
  let root: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slipway-read-dockerfile-'));
    root = join(dir, 'repo');
    await mkdir(join(root, 'api'), { recursive: true });
    await writeFile(join(root, 'Dockerfile'), 'FROM busybox\nARG A\n');
    await writeFile(join(root, 'api', 'Dockerfile.prod'), 'FROM busybox\nARG B\n');
    await writeFile(join(dir, 'outside'), 'FROM busybox\nARG SECRET\n');
    await symlink(join(dir, 'outside'), join(root, 'Escapes'));
    await symlink('api/Dockerfile.prod', join(root, 'Linked'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads it by its path from the source root, written as specs write it', async () => {
    expect(await readDockerfile(root, 'Dockerfile')).toBe('FROM busybox\nARG A\n');
    expect(await readDockerfile(root, '/api/Dockerfile.prod')).toBe('FROM busybox\nARG B\n');
    expect(await readDockerfile(root, './api\\Dockerfile.prod')).toBe('FROM busybox\nARG B\n');
    expect(await readDockerfile(root, 'Linked')).toBe('FROM busybox\nARG B\n');
  });

  it('refuses a path that is missing, a folder, or leads outside the source root', async () => {
    for (const path of ['missing', 'api', 'Escapes', '../outside']) {
      await expect(readDockerfile(root, path)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    }
    await expect(readDockerfile(root, 'missing')).rejects.toThrow(/dockerfile_path missing: no Dockerfile/);
  });
});
