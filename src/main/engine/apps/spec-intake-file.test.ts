import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeEngine, fakeScope, SHOP_SPEC } from './fake-engine.test-support';
import { createApp, updateApp } from './spec-intake';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'slipway-intake-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function specIn(folder: string, text = SHOP_SPEC): Promise<string> {
  await mkdir(path.join(dir, folder, '.do'), { recursive: true });
  const file = path.join(dir, folder, '.do', 'app.yaml');
  await writeFile(file, text);
  return file;
}

describe('which spec an app follows', () => {
  it('records the file an app is created from, found in its folder', async () => {
    const file = await specIn('one');
    const engine = fakeEngine();
    await createApp(fakeScope(engine), { specPath: path.join(dir, 'one') });
    expect(engine.store.state.apps[0]).toMatchObject({ specFile: file, sourcePath: path.join(dir, 'one') });
  });

  it('stores no file for an app created from text, nor when its spec is replaced from a file', async () => {
    const engine = fakeEngine();
    const scope = fakeScope(engine);
    await createApp(scope, { specYaml: SHOP_SPEC });
    await updateApp(scope, { app: 'shop', specPath: await specIn('two') });
    expect(engine.store.state.apps[0]!.specFile).toBeUndefined();
  });

  it('re-points a file-backed app given another file, and detaches it when its spec is edited as text', async () => {
    const engine = fakeEngine();
    const scope = fakeScope(engine);
    await createApp(scope, { specPath: await specIn('one') });
    const other = await specIn('two');
    await updateApp(scope, { app: 'shop', specPath: other });
    expect(engine.store.state.apps[0]!.specFile).toBe(other);
    await updateApp(scope, { app: 'shop', specYaml: SHOP_SPEC });
    expect(engine.store.state.apps[0]!.specFile).toBeUndefined();
  });
});
