import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSpecFile, sourceRootForSpec } from './source-path';

describe('resolveSpecFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slipway-spec-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a file as it is, and finds .do/app.yaml before app.yaml in a folder', async () => {
    await writeFile(path.join(dir, 'app.yaml'), 'name: a\n');
    expect(await resolveSpecFile(path.join(dir, 'app.yaml'))).toBe(path.join(dir, 'app.yaml'));
    expect(await resolveSpecFile(dir)).toBe(path.join(dir, 'app.yaml'));
    await mkdir(path.join(dir, '.do'));
    await writeFile(path.join(dir, '.do', 'app.yaml'), 'name: a\n');
    const found = await resolveSpecFile(dir);
    expect(found).toBe(path.join(dir, '.do', 'app.yaml'));
    // The source is then the repository root, not .do.
    expect(sourceRootForSpec(found)).toBe(dir);
  });

  it('finds a deploy template when that is all there is', async () => {
    await mkdir(path.join(dir, '.do'));
    await writeFile(path.join(dir, '.do', 'deploy.template.yaml'), 'spec:\n  name: a\n');
    expect(await resolveSpecFile(dir)).toBe(path.join(dir, '.do', 'deploy.template.yaml'));
  });

  it('names the field and what it looked for when a folder has no spec', async () => {
    await expect(resolveSpecFile(dir)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('specPath: '),
      details: { issues: [{ path: 'specPath', message: 'folder has no app spec' }] },
    });
  });
});
