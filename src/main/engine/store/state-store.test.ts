import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { migrate, openStateStore, SCHEMA_VERSION } from './state-store';

describe('the state store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'slipway-state-')), 'data');
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('keeps its file 0600 in a 0700 folder, with the schema version', async () => {
    const store = await openStateStore(dir);
    await store.update((s) => s.apps.push({ name: 'shop' } as never));
    await store.close();
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8'));
    expect(saved).toMatchObject({ schemaVersion: SCHEMA_VERSION, apps: [{ name: 'shop' }] });
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
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.update((s) => s.apps.push({ name: `a${i}` } as never))),
    );
    await store.close();
    const reopened = await openStateStore(dir);
    expect(reopened.state.apps.map((a) => a.name)).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
    await reopened.close();
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
});
