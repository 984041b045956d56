import { readdir } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../src/shared/errors';
import { LABELS } from '../../src/shared/labels';
import { BAD_SPECS } from '../support/bad-specs';
import { engineWithClient, helloCopy, scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';

const docker = new Docker();

/** Every file below a folder, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('the engine refuses bad specs', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let ctx: ReturnType<typeof engineWithClient>;
  let source: string;
  let sourceFilesBefore: string[];
  let containersBefore: number;

  beforeAll(async () => {
    scratch = await scratchDir('bad-specs');
    source = await helloCopy(scratch.dir, 'source');
    sourceFilesBefore = await filesUnder(scratch.dir);
    containersBefore = (await docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`] } }))
      .length;
    ctx = engineWithClient(path.join(scratch.dir, 'data'));
  });

  afterAll(async () => {
    await ctx.engine.close();
    await stopEdgeProcess(path.join(scratch.dir, 'data'));
    await scratch.remove();
  });

  it(`refuses ${BAD_SPECS.length} kinds of bad spec with SPEC_INVALID naming the field`, async () => {
    expect(BAD_SPECS.length).toBeGreaterThanOrEqual(20);
    for (const bad of BAD_SPECS) {
      const err = await ctx.client.apps.create({ specYaml: bad.yaml, sourcePath: source }).catch((e: unknown) => e);
      expect(err, bad.what).toBeInstanceOf(SlipwayError);
      expect((err as SlipwayError).code, bad.what).toBe('SPEC_INVALID');
      const errors = ((err as SlipwayError).details as { errors: Array<{ path: string }> }).errors;
      expect(
        errors.map((e) => e.path),
        bad.what,
      ).toContain(bad.path);
      expect((err as SlipwayError).message, bad.what).toContain(bad.path);
    }
    expect(await ctx.client.apps.list()).toEqual([]);
  });

  it('left no container and no file anywhere but its own data folder', async () => {
    const containersAfter = await docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`] } });
    expect(containersAfter.length).toBe(containersBefore);
    const files = await filesUnder(scratch.dir);
    const outsideData = files.filter((f) => !f.startsWith(`data${path.sep}`));
    expect(outsideData).toEqual(sourceFilesBefore);
    expect(files.filter((f) => f.startsWith(`data${path.sep}`)).sort()).toEqual(
      ['engine.lock', 'installation-id', 'secret.key', 'state.json', 'state.json.last-good']
        .map((f) => `data${path.sep}${f}`)
        .sort(),
    );
  });
});
