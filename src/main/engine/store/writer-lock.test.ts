import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireWriterLock } from './writer-lock';

// A pid above Linux's pid_max (4,194,304): no process has it.
const DEAD_PID = '999999999';

describe('the writer lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slipway-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const race = async (n: number) => {
    const results = await Promise.allSettled(Array.from({ length: n }, () => acquireWriterLock(dir)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    return { won, lost };
  };

  it('is never seen empty: of many takers at once exactly one wins, the others are told who holds it', async () => {
    const { won, lost } = await race(20);
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(Array(19).fill('ENGINE_LOCKED'));
    expect(lost[0]!.reason.message).toContain(`pid ${process.pid}`);
    expect(await readFile(path.join(dir, 'engine.lock'), 'utf8')).toBe(String(process.pid));
  });

  it('lets exactly one of many takers take over a stale lock, and leaves no files behind', async () => {
    await writeFile(path.join(dir, 'engine.lock'), DEAD_PID);
    const { won, lost } = await race(20);
    expect(won).toHaveLength(1);
    expect(lost.every((r) => (r.reason as { code: string }).code === 'ENGINE_LOCKED')).toBe(true);
    expect(await readdir(dir)).toEqual(['engine.lock']);
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock whose file is empty or garbled', async () => {
    await writeFile(path.join(dir, 'engine.lock'), '');
    const lock = await acquireWriterLock(dir);
    expect(await readFile(path.join(dir, 'engine.lock'), 'utf8')).toBe(String(process.pid));
    await lock.release();
  });
});
