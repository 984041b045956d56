import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { openStateStore, type AppRecord, type ServerRecord } from '../store/state-store';
import { keyFileSecretBox, secretKeyFile } from './secret-box';

const app = (name: string, specYaml: string): AppRecord => ({
  name,
  server: 'local',
  specYaml,
  sourcePath: null,
  hostPorts: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const server = (name: string, password: string): ServerRecord => ({
  name,
  host: '127.0.0.1',
  port: 22,
  user: 'deploy',
  auth: { type: 'password', password },
  jump: null,
  dockerSocket: '/var/run/docker.sock',
  hostKey: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('the key file secret box', () => {
  let dir: string;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'slipway-key-')), 'data');
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  /** Stores apps and servers as the engine does, with the state's lock released after. */
  const store = async (apps: AppRecord[], servers: ServerRecord[] = []) => {
    const s = await openStateStore(dir);
    await s.update((state) => {
      state.apps.push(...apps);
      state.servers.push(...servers);
    });
    await s.close();
  };
  const keyError = async () => {
    const err = await keyFileSecretBox(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlipwayError);
    return err as SlipwayError;
  };

  it('makes its key (0600) in a fresh data folder, and keeps using it', async () => {
    await store([]);
    const box = await keyFileSecretBox(dir);
    expect((await stat(secretKeyFile(dir))).mode & 0o777).toBe(0o600);
    const sealed = box.seal('hunter2');
    expect((await keyFileSecretBox(dir)).open(sealed)).toBe('hunter2');
  });

  it('makes its key when the state holds nothing sealed, even with apps', async () => {
    await store([app('plain', 'name: plain\n')]);
    await keyFileSecretBox(dir);
    expect(await readdir(dir)).toContain('secret.key');
  });

  it('refuses to make a new key when sealed values exist, naming the key file and what would be lost', async () => {
    await store([]);
    const sealed = (await keyFileSecretBox(dir)).seal('hunter2');
    await store(
      [
        app('shop', `name: shop\nenvs:\n  - key: TOKEN\n    type: SECRET\n    value: ${sealed}\n`),
        app('plain', 'name: plain\n'),
      ],
      [server('prod', sealed)],
    );
    await rm(secretKeyFile(dir));
    const state = await readFile(path.join(dir, 'state.json'), 'utf8');

    const err = await keyError();
    expect(err.code).toBe('SECRET_KEY_MISSING');
    expect(err.message).toContain(`The secrets key file ${secretKeyFile(dir)} is missing`);
    expect(err.message).toContain('the secrets of app shop, the password of server prod');
    expect(err.message).not.toContain('plain');
    expect(err.message).toContain('every one would be lost');
    expect(err.message).not.toContain(sealed);
    expect(err.details).toEqual({
      keyFile: secretKeyFile(dir),
      sealed: ['the secrets of app shop', 'the password of server prod'],
    });
    expect(await readdir(dir)).not.toContain('secret.key');
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe(state);
    // Asked again, it still refuses: nothing was made the first time.
    expect((await keyError()).code).toBe('SECRET_KEY_MISSING');
  });

  it('refuses a key file that does not hold a key, naming it', async () => {
    await store([]);
    await writeFile(secretKeyFile(dir), 'c2hvcnQ=');
    const err = await keyError();
    expect(err.code).toBe('SECRET_UNREADABLE');
    expect(err.message).toContain(`The secrets key file ${secretKeyFile(dir)} is damaged`);
    expect(await readFile(secretKeyFile(dir), 'utf8')).toBe('c2hvcnQ=');
  });
});
