import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireWriterLock, lockHolder } from './writer-lock';

// A pid above Linux's pid_max (4,194,304): no process has it.
const DEAD_PID = '999999999';
const NONCE = '0123456789abcdef';

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
  const lockPid = async () => Number.parseInt(await readFile(path.join(dir, 'engine.lock'), 'utf8'), 10);

  it('is never seen empty: of many takers at once exactly one wins, the others are told who holds it', async () => {
    const { won, lost } = await race(20);
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual(Array(19).fill('ENGINE_LOCKED'));
    expect(lost[0]!.reason.message).toContain(`pid ${process.pid}`);
    expect(await lockPid()).toBe(process.pid);
    expect(await lockHolder(dir)).toBe(process.pid);
  });

  it('lets exactly one of many takers take over a stale lock, and leaves no files behind', async () => {
    await writeFile(path.join(dir, 'engine.lock'), DEAD_PID);
    const { won, lost } = await race(20);
    expect(won).toHaveLength(1);
    expect(lost.every((r) => (r.reason as { code: string }).code === 'ENGINE_LOCKED')).toBe(true);
    expect(await readdir(dir)).toEqual(['engine.lock']);
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    expect(await readdir(dir)).toEqual([]);
    expect(await lockHolder(dir)).toBeNull();
  });

  it('takes over a lock whose file is empty or garbled', async () => {
    for (const content of ['', 'not a pid']) {
      await writeFile(path.join(dir, 'engine.lock'), content);
      const lock = await acquireWriterLock(dir);
      expect(await lockPid()).toBe(process.pid);
      await lock.release();
    }
  });

  it('leaves a stale lock to the live taker that is removing it, and never removes it in its place', async () => {
    await writeFile(path.join(dir, 'engine.lock'), `${DEAD_PID} ${NONCE}`);
    // The mark a taker claims before it removes that one stale lock, held here by a live process.
    await writeFile(path.join(dir, `engine.lock.break-${NONCE}`), `${process.pid} fedcba9876543210`);
    const err = await acquireWriterLock(dir, { waitMs: 100 }).catch((e: unknown) => e);
    expect((err as { code: string }).code).toBe('ENGINE_LOCKED');
    expect(await readFile(path.join(dir, 'engine.lock'), 'utf8')).toBe(`${DEAD_PID} ${NONCE}`);
    expect((await readdir(dir)).sort()).toEqual(['engine.lock', `engine.lock.break-${NONCE}`]);
  });

  it('steps over a taker that died while removing a stale lock, and sweeps what it left', async () => {
    await writeFile(path.join(dir, 'engine.lock'), `${DEAD_PID} ${NONCE}`);
    await writeFile(path.join(dir, `engine.lock.break-${NONCE}`), `${DEAD_PID} fedcba9876543210`);
    await writeFile(path.join(dir, `.engine.lock.${DEAD_PID}.fedcba9876543210`), `${DEAD_PID} fedcba9876543210`);
    const lock = await acquireWriterLock(dir, { waitMs: 1_000 });
    expect(await lockPid()).toBe(process.pid);
    expect(await readdir(dir)).toEqual(['engine.lock']);
    await lock.release();
  });

  it('releases only its own lock', async () => {
    const lock = await acquireWriterLock(dir);
    await rm(path.join(dir, 'engine.lock'));
    const next = await acquireWriterLock(dir);
    await lock.release();
    expect(await lockPid()).toBe(process.pid);
    expect(await readdir(dir)).toEqual(['engine.lock']);
    await next.release();
    expect(await readdir(dir)).toEqual([]);
  });
});
