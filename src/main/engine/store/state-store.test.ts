import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { migrate, openStateStore, SCHEMA_VERSION, type AppRecord } from './state-store';

const appRecord = (name: string): AppRecord => ({
  name,
  server: 'local',
  specYaml: `name: ${name}\n`,
  sourcePath: null,
  hostPorts: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('the state store', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'slipway-state-')), 'data');
    file = path.join(dir, 'state.json');
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  /** A data folder whose state holds these apps, written by the store itself. */
  const withApps = async (...names: string[]) => {
    const store = await openStateStore(dir);
    await store.update((s) => s.apps.push(...names.map(appRecord)));
    await store.close();
  };
  const openError = async () => {
    const err = await openStateStore(dir).then(
      async (store) => {
        await store.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SlipwayError);
    return err as SlipwayError;
  };

  it('keeps its file 0600 in a 0700 folder, with the schema version', async () => {
    await withApps('shop');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toMatchObject({ schemaVersion: SCHEMA_VERSION, apps: [{ name: 'shop' }] });
  });

  it('keeps a last good copy beside it, 0600, with every write', async () => {
    await withApps('shop', 'blog');
    expect((await stat(`${file}.last-good`)).mode & 0o777).toBe(0o600);
    expect(await readFile(`${file}.last-good`, 'utf8')).toBe(await readFile(file, 'utf8'));
    expect((await readdir(dir)).sort()).toEqual(['state.json', 'state.json.last-good']);
  });

  it('does not make a state of the wrong shape its last good copy', async () => {
    await withApps('shop');
    const good = await readFile(`${file}.last-good`, 'utf8');
    const store = await openStateStore(dir);
    await store.update((s) => s.apps.push({ name: 42 } as never));
    await store.close();
    expect(await readFile(`${file}.last-good`, 'utf8')).toBe(good);
  });

  it('lets one writer in at a time, and takes over a lock whose owner is gone', async () => {
    const first = await openStateStore(dir);
    const err = await openStateStore(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlipwayError);
    expect((err as SlipwayError).code).toBe('ENGINE_LOCKED');
    await first.close();
    await writeFile(path.join(dir, 'engine.lock'), '999999999');
    const second = await openStateStore(dir);
    await second.close();
  });

  it('writes every change, in order, even when many come at once', async () => {
    const store = await openStateStore(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.update((s) => s.apps.push(appRecord(`a${i}`)))));
    await store.close();
    const reopened = await openStateStore(dir);
    expect(reopened.state.apps.map((a) => a.name)).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
    await reopened.close();
  });

  it('removes the aside files of writes a crash interrupted, and no other file', async () => {
    await withApps('shop');
    const leftovers = ['.state.json.0123456789ab.tmp', '.state.json.last-good.0123456789ab.tmp'];
    for (const name of [...leftovers, '.secret.key.0123456789ab.tmp']) await writeFile(path.join(dir, name), '{');
    const store = await openStateStore(dir);
    expect(store.state.apps.map((a) => a.name)).toEqual(['shop']);
    await store.close();
    expect((await readdir(dir)).sort()).toEqual(['.secret.key.0123456789ab.tmp', 'state.json', 'state.json.last-good']);
  });

  it('migrates a file without a schema version and refuses one from a newer Slipway', () => {
    expect(migrate({ apps: [{ name: 'old' }] })).toEqual({
      schemaVersion: 2,
      apps: [{ name: 'old' }],
      deployments: [],
      servers: [],
    });
    expect(migrate({ schemaVersion: 1, apps: [], deployments: [] })).toMatchObject({ schemaVersion: 2, servers: [] });
    expect(() => migrate({ schemaVersion: SCHEMA_VERSION + 1 })).toThrow(/newer version/);
  });

  describe('a damaged state file', () => {
    const damages: Array<[string, (good: string) => string]> = [
      ['truncated', (good) => good.slice(0, Math.floor(good.length / 2))],
      ['emptied', () => ''],
      ['unparsable', (good) => good.replace('"apps"', '"apps" "')],
      ['a list', () => '[]'],
      ['a number', () => '42'],
      ['a string', () => '"hello"'],
      ['an app without a name', (good) => good.replace(/"name": "shop",/, '')],
      [
        'apps that are not a list',
        (good) => good.replace(/"apps": \[/, '"apps": {"x": [').replace(/\],\s*"deployments"/, ']}, "deployments"'),
      ],
    ];

    for (const [what, damage] of damages) {
      it(`(${what}) is refused with STATE_DAMAGED, kept as it is and copied, never replaced`, async () => {
        await withApps('shop', 'blog');
        const good = await readFile(file, 'utf8');
        const damaged = damage(good);
        expect(damaged).not.toBe(good);
        await writeFile(file, damaged);

        const err = await openError();
        expect(err.code).toBe('STATE_DAMAGED');
        const details = err.details as { file: string; copy: string; lastGood: string; lastGoodUsable: boolean };
        expect(details).toMatchObject({ file, lastGood: `${file}.last-good`, lastGoodUsable: true });
        expect(path.basename(details.copy)).toMatch(/^state\.json\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
        expect(err.message).toContain(`Slipway's state file ${file} is damaged: `);
        expect(err.message).toContain(`copied it to ${details.copy}`);
        expect(err.message).toContain(`To restore the last good copy, ${file}.last-good (written `);
        expect(err.message).toContain('2 apps, 0 deployments, 0 servers');
        expect(err.message).toContain(`copy it over ${file} and run the command again`);
        expect(await readFile(file, 'utf8')).toBe(damaged);
        expect(await readFile(details.copy, 'utf8')).toBe(damaged);
        expect((await stat(details.copy)).mode & 0o777).toBe(0o600);
        expect(await readFile(`${file}.last-good`, 'utf8')).toBe(good);

        // Every later command meets the same file: it is copied once, and the lock is free again.
        expect(((await openError()).details as { copy: string }).copy).toBe(details.copy);
        expect((await readdir(dir)).filter((f) => f.includes('damaged'))).toHaveLength(1);
        expect(await readdir(dir)).not.toContain('engine.lock');
      });
    }

    it('opens again, with every app, once the last good copy is restored as the error says', async () => {
      await withApps('shop', 'blog');
      await writeFile(file, (await readFile(file, 'utf8')).slice(0, 40));
      const err = await openError();
      await writeFile(file, await readFile((err.details as { lastGood: string }).lastGood));
      const store = await openStateStore(dir);
      expect(store.state.apps.map((a) => a.name)).toEqual(['shop', 'blog']);
      await store.close();
    });

    it('keeps a second, different damage in a copy of its own', async () => {
      await withApps('shop');
      await writeFile(file, '[]');
      const first = ((await openError()).details as { copy: string }).copy;
      await writeFile(file, '42');
      const second = ((await openError()).details as { copy: string }).copy;
      expect(second).not.toBe(first);
      expect(await readFile(first, 'utf8')).toBe('[]');
      expect(await readFile(second, 'utf8')).toBe('42');
    });

    it('says so when there is no good copy to restore', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(file, '{"schemaVersion": 2, "apps": [');
      const err = await openError();
      expect(err.code).toBe('STATE_DAMAGED');
      expect(err.message).toContain(`There is no good copy to restore: ${file}.last-good is missing.`);
      expect(err.message).toContain(`Mend ${file} by hand from the copy, or move it away to start with no apps.`);
      expect(err.details).toMatchObject({ lastGoodUsable: false });
    });

    it('is not started afresh over when the file is gone but its last good copy is there', async () => {
      await withApps('shop');
      await rm(file);
      const err = await openError();
      expect(err.code).toBe('STATE_DAMAGED');
      expect(err.message).toContain(`Slipway's state file ${file} is missing.`);
      expect(err.message).toContain(`copy it to ${file} and run the command again`);
      expect((await readdir(dir)).sort()).toEqual(['state.json.last-good']);
    });
  });

  it('refuses a state from a newer Slipway with STATE_TOO_NEW, and changes nothing', async () => {
    await withApps('shop');
    const newer = JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1, apps: 'a newer shape' });
    await writeFile(file, newer);
    const err = await openError();
    expect(err.code).toBe('STATE_TOO_NEW');
    expect(err.message).toContain(
      `Slipway's state file ${file} was written by a newer Slipway (state schema ${SCHEMA_VERSION + 1};`,
    );
    expect(err.message).toContain('Nothing was changed: update Slipway to open it.');
    expect(err.message).toContain(`copy ${file}.last-good (written `);
    expect(await readFile(file, 'utf8')).toBe(newer);
    expect((await readdir(dir)).sort()).toEqual(['state.json', 'state.json.last-good']);
  });
});
