import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { isSealed, SEALED_PREFIX } from '../secrets/secret-box';
import { appRecord, fakeEngine, fakeScope, SHOP_SPEC } from './fake-engine.test-support';
import { createApp, updateApp, validateSpec } from './spec-intake';

const SECRET_SPEC = `name: solo
services:
  - name: web
    image:
      registry_type: DOCKER_HUB
      repository: nginx
    envs:
      - key: TOKEN
        value: s3cret
        type: SECRET
      - key: MODE
        value: plain
`;

/** A service built from the folder the spec lives in. */
const LOCAL_SPEC = 'name: local\nservices:\n  - name: web\n';

function setup() {
  const engine = fakeEngine();
  return { engine, scope: fakeScope(engine) };
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'slipway-intake-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('validateSpec', () => {
  it('masks secret values and keeps the others', () => {
    const result = validateSpec(SECRET_SPEC);
    const envs = result.spec?.components[0]?.envs;
    expect(envs?.find((e) => e.key === 'TOKEN')?.value).toBe('********');
    expect(envs?.find((e) => e.key === 'MODE')?.value).toBe('plain');
  });

  it('gives the errors of a bad spec', () => {
    const result = validateSpec('name: Not A Name\n');
    expect(result.spec).toBeNull();
    expect(result.errors.length).toBeGreaterThan(0);
  });
});

describe('createApp', () => {
  it('refuses a bad spec with every error, and stores nothing', async () => {
    const { engine, scope } = setup();
    const refused = createApp(scope, { specYaml: 'name: Not A Name\nservices: 3\n' });
    await expect(refused).rejects.toMatchObject({ code: 'SPEC_INVALID' });
    await expect(refused).rejects.toHaveProperty('details.errors');
    expect(engine.store.state.apps).toEqual([]);
    expect(scope.events).toEqual([]);
  });

  it('refuses a server it does not know', async () => {
    const { scope } = setup();
    await expect(createApp(scope, { specYaml: SHOP_SPEC, server: 'nowhere' })).rejects.toMatchObject({
      code: 'SERVER_NOT_FOUND',
    });
  });

  it('refuses hostPorts naming a component the spec does not have', async () => {
    const { engine, scope } = setup();
    await expect(createApp(scope, { specYaml: SHOP_SPEC, hostPorts: { admin: 41000 } })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'hostPorts.admin: the spec has no component admin.',
    });
    expect(engine.store.state.apps).toEqual([]);
  });

  it('refuses a port another app holds', async () => {
    const { engine, scope } = setup();
    engine.store.state.apps.push(appRecord('blog', 'name: blog', { web: 41000 }));
    await expect(createApp(scope, { specYaml: SHOP_SPEC, hostPorts: { web: 41000 } })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'hostPorts.web: port 41000 is used by app blog.',
    });
    expect(engine.store.state.apps.map((a) => a.name)).toEqual(['blog']);
  });

  it('refuses one port for two components', async () => {
    const { scope } = setup();
    await expect(
      createApp(scope, { specYaml: SHOP_SPEC, hostPorts: { web: 41000, api: 41000 } }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: 'hostPorts.api: port 41000 is given to web already.' });
  });

  it('refuses a second app of the same name', async () => {
    const { scope } = setup();
    await createApp(scope, { specYaml: SHOP_SPEC });
    await expect(createApp(scope, { specYaml: SHOP_SPEC })).rejects.toMatchObject({ code: 'APP_EXISTS' });
  });

  it('asks for a folder when a component builds from one', async () => {
    const { scope } = setup();
    await expect(createApp(scope, { specYaml: LOCAL_SPEC })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      details: { issues: [{ path: 'sourcePath', message: 'required: a component builds from a local folder' }] },
    });
    const detail = await createApp(scope, { specYaml: LOCAL_SPEC, sourcePath: folder });
    expect(detail.sourcePath).toBe(folder);
  });

  it('reads a spec file, its folder being the source', async () => {
    const { scope } = setup();
    const file = path.join(folder, 'app.yaml');
    await writeFile(file, LOCAL_SPEC);
    const detail = await createApp(scope, { specPath: file });
    expect(detail.name).toBe('local');
    expect(detail.sourcePath).toBe(folder);
    await expect(createApp(scope, { specPath: path.join(folder, 'missing.yaml') })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });

  it('stores the app with its secrets sealed, tells the subscribers, and shows them masked', async () => {
    const { engine, scope } = setup();
    const detail = await createApp(scope, { specYaml: SECRET_SPEC, hostPorts: { web: 41010 }, buildMode: 'local' });
    const [stored] = engine.store.state.apps;
    expect(stored).toMatchObject({ name: 'solo', server: 'local', buildMode: 'local', hostPorts: { web: 41010 } });
    expect(stored?.specYaml).not.toContain('s3cret');
    expect(stored?.specYaml).toContain(SEALED_PREFIX);
    expect(detail.specYaml).not.toContain('s3cret');
    expect(detail.specYaml).not.toContain(SEALED_PREFIX);
    expect(detail.status).toBe('new');
    expect(scope.events).toEqual([{ type: 'app', app: expect.objectContaining({ name: 'solo' }) }]);
  });
});

describe('reading a spec file (specPath)', () => {
  const refusal = (run: Promise<unknown>) =>
    run.then(
      () => {
        throw new Error('expected a refusal');
      },
      (error: { code: string; message: string; details?: unknown }) => error,
    );

  it('refuses a FIFO at once, without waiting for a writer', async () => {
    const { engine, scope } = setup();
    const fifo = path.join(folder, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal(createApp(scope, { specPath: fifo }));
    expect(error).toMatchObject({
      code: 'INVALID_REQUEST',
      message: `specPath: ${fifo} is not a regular file (a named pipe); give the spec file or its app folder.`,
      details: { issues: [{ path: 'specPath', message: 'not a regular file' }] },
    });
    expect(engine.store.state.apps).toEqual([]);
  });

  it('refuses a device, and a file over the bound, without reading them', async () => {
    const { scope } = setup();
    await expect(refusal(createApp(scope, { specPath: '/dev/urandom' }))).resolves.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'specPath: /dev/urandom is not a regular file (a device); give the spec file or its app folder.',
    });
    // Sparse: 2 GB that were never written, so reading them would show as time, not disk.
    const huge = path.join(folder, 'huge.yaml');
    await writeFile(huge, '');
    await truncate(huge, 2 * 1024 ** 3);
    await expect(refusal(createApp(scope, { specPath: huge }))).resolves.toMatchObject({
      code: 'INVALID_REQUEST',
      message: `specPath: ${huge} is 2147483648 bytes; a spec is at most 1048576 bytes (1 MiB).`,
    });
  });

  it('refuses a file that is not UTF-8, naming the byte and its line', async () => {
    const { engine, scope } = setup();
    const file = path.join(folder, 'latin1.yaml');
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from('name: shop\nservices:\n  - name: web\n    run_command: caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n'),
      ]),
    );
    const error = await refusal(createApp(scope, { specPath: file }));
    expect(error).toMatchObject({
      code: 'SPEC_INVALID',
      details: { errors: [{ path: '(spec)', message: expect.stringContaining('byte 0xE9 at line 4') }] },
    });
    const utf16 = path.join(folder, 'utf16.yaml');
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LOCAL_SPEC, 'utf16le')]));
    expect((await refusal(createApp(scope, { specPath: utf16 }))).message).toContain(
      'UTF-16 (little-endian) text; Slipway reads UTF-8 only',
    );
    expect(engine.store.state.apps).toEqual([]);
  });

  it('reads a spec with a UTF-8 byte order mark', async () => {
    const { scope } = setup();
    const file = path.join(folder, 'bom', 'app.yaml');
    await mkdir(path.dirname(file));
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LOCAL_SPEC)]));
    expect((await createApp(scope, { specPath: file })).name).toBe('local');
  });

  it('refuses a file that is not a spec without quoting it', async () => {
    const { scope } = setup();
    const error = await refusal(createApp(scope, { specPath: '/etc/passwd' }));
    expect(error.code).toBe('SPEC_INVALID');
    expect(JSON.stringify(error)).not.toMatch(/root|nologin|bin/);
  });
});

describe('updateApp', () => {
  it('refuses an app it does not know, and a rename', async () => {
    const { scope } = setup();
    await expect(updateApp(scope, { app: 'shop', specYaml: SHOP_SPEC })).rejects.toMatchObject({
      code: 'APP_NOT_FOUND',
    });
    await createApp(scope, { specYaml: SHOP_SPEC });
    await expect(updateApp(scope, { app: 'shop', specYaml: SECRET_SPEC })).rejects.toMatchObject({
      code: 'SPEC_INVALID',
      details: { errors: [{ path: 'name', message: 'cannot change' }] },
    });
  });

  it('keeps the name an app was given at create, for the spec it was written with', async () => {
    const { engine, scope } = setup();
    const created = await createApp(scope, { specYaml: SHOP_SPEC, name: 'my-shop' });
    expect(created.name).toBe('my-shop');
    expect(created.specYaml).toMatch(/^name: my-shop$/m);
    await expect(createApp(scope, { specYaml: SHOP_SPEC, name: 'my-shop' })).rejects.toMatchObject({
      code: 'APP_EXISTS',
    });
    // The same spec, as its author wrote it, updates the renamed app; another app's spec does not.
    const updated = await updateApp(scope, { app: 'my-shop', specYaml: SHOP_SPEC });
    expect(updated.specYaml).toMatch(/^name: my-shop$/m);
    expect(engine.store.state.apps.find((a) => a.name === 'my-shop')?.specName).toBe('shop');
    await expect(updateApp(scope, { app: 'my-shop', specYaml: SECRET_SPEC })).rejects.toMatchObject({
      code: 'SPEC_INVALID',
    });
  });

  it('adds host ports to those the app holds, and checks them all', async () => {
    const { engine, scope } = setup();
    engine.store.state.apps.push(appRecord('blog', 'name: blog', { web: 41001 }));
    await createApp(scope, { specYaml: SHOP_SPEC, hostPorts: { web: 41000 } });
    await updateApp(scope, { app: 'shop', specYaml: SHOP_SPEC, hostPorts: { api: 41002 } });
    expect(engine.store.state.apps.find((a) => a.name === 'shop')?.hostPorts).toEqual({ web: 41000, api: 41002 });
    await expect(
      updateApp(scope, { app: 'shop', specYaml: SHOP_SPEC, hostPorts: { api: 41001 } }),
    ).rejects.toMatchObject({ message: 'hostPorts.api: port 41001 is used by app blog.' });
    await expect(
      updateApp(scope, { app: 'shop', specYaml: SHOP_SPEC, hostPorts: { api: 41000 } }),
    ).rejects.toMatchObject({ message: 'hostPorts.api: port 41000 is given to web already.' });
    expect(engine.store.state.apps.find((a) => a.name === 'shop')?.hostPorts).toEqual({ web: 41000, api: 41002 });
  });

  it('keeps a stored secret where the screen sends its mask back', async () => {
    const { engine, scope } = setup();
    const created = await createApp(scope, { specYaml: SECRET_SPEC });
    const sealedBefore = engine.store.state.apps[0]?.specYaml ?? '';
    const edited = created.specYaml.replace('value: plain', 'value: changed');
    await updateApp(scope, { app: 'solo', specYaml: edited });
    const after = engine.store.state.apps[0]?.specYaml ?? '';
    expect(after).toContain('changed');
    const sealedValue = (yaml: string) =>
      loadAppSpec(yaml).spec?.components[0]?.envs.find((e) => e.key === 'TOKEN')?.value ?? '';
    expect(isSealed(sealedValue(after))).toBe(true);
    expect(engine.ctx.secrets.open(sealedValue(after))).toBe('s3cret');
    expect(engine.ctx.secrets.open(sealedValue(sealedBefore))).toBe('s3cret');
    expect(scope.events.map((e) => e.type)).toEqual(['app', 'app']);
  });

  it('keeps the app folder when the spec is edited in place', async () => {
    const { engine, scope } = setup();
    await createApp(scope, { specYaml: LOCAL_SPEC, sourcePath: folder });
    await updateApp(scope, { app: 'local', specYaml: LOCAL_SPEC });
    expect(engine.store.state.apps[0]?.sourcePath).toBe(folder);
  });
});
