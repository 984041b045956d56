import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPrivateFile, writePrivateFile } from './private-files';

// Every fsync and rename the module makes, in order, and a switch that makes the next file write fail as a full disk does.
const fsLog = vi.hoisted(() => ({ calls: [] as string[], failWrites: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const name = (p: unknown) => (String(p).endsWith('.tmp') ? 'temp' : path.basename(String(p)));
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      const sync = handle.sync.bind(handle);
      const write = handle.writeFile.bind(handle);
      handle.sync = async () => {
        fsLog.calls.push(`fsync ${name(args[0])}`);
        return sync();
      };
      handle.writeFile = async (...data: Parameters<typeof handle.writeFile>) => {
        if (fsLog.failWrites) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return write(...data);
      };
      return handle;
    },
    rename: async (from: string, to: string) => {
      fsLog.calls.push(`rename ${name(from)} ${name(to)}`);
      return fs.rename(from, to);
    },
    link: async (from: string, to: string) => {
      fsLog.calls.push(`link ${name(from)} ${name(to)}`);
      return fs.link(from, to);
    },
  };
});

describe('private files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slipway-private-'));
    fsLog.calls = [];
    fsLog.failWrites = false;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const folder = () => path.basename(dir);

  it('are written aside, flushed, renamed into place, and their folder flushed after', async () => {
    await writePrivateFile(path.join(dir, 'state.json'), '{"a":1}');
    expect(fsLog.calls).toEqual(['fsync temp', 'rename temp state.json', `fsync ${folder()}`]);
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe('{"a":1}');
    expect((await stat(path.join(dir, 'state.json'))).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('skip the waits for the disk when not durable', async () => {
    await writePrivateFile(path.join(dir, 'engine.token'), 'x', { durable: false });
    expect(fsLog.calls).toEqual(['rename temp engine.token']);
  });

  it('leave the old content and no aside file when the disk is full', async () => {
    await writeFile(path.join(dir, 'state.json'), 'old');
    fsLog.failWrites = true;
    await expect(writePrivateFile(path.join(dir, 'state.json'), 'new')).rejects.toThrow(/ENOSPC/);
    expect(await readFile(path.join(dir, 'state.json'), 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('can be created only where nothing is, whole and durably, never over another file', async () => {
    const key = path.join(dir, 'secret.key');
    expect(await createPrivateFile(key, 'first')).toBe(true);
    expect(fsLog.calls).toEqual(['fsync temp', 'link temp secret.key', `fsync ${folder()}`]);
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    expect(await createPrivateFile(key, 'second')).toBe(false);
    expect(await readFile(key, 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['secret.key']);
  });
});
