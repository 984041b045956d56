import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SlipwayError } from '../../../shared/errors';
import { isProcessAlive } from '../base/process-alive';

/** How long a taker keeps trying while others race for the same lock. */
const RACE_WINDOW_MS = 3_000;

const readOwner = async (file: string): Promise<number | null> => {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
};

const locked = (dir: string, pid: number) =>
  new SlipwayError(
    'ENGINE_LOCKED',
    `Another Slipway (pid ${pid}) is using ${dir}. Close it, or set SLIPWAY_HOME to another folder.`,
    { pid, dir },
  );

/** Puts `source` in place at `target` unless `target` exists; false when it does. */
const linkIfAbsent = async (source: string, target: string): Promise<boolean> => {
  try {
    await link(source, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
};

/** The live process holding a data folder's lock, or null. */
export async function lockHolder(dir: string): Promise<number | null> {
  const owner = await readOwner(path.join(dir, 'engine.lock'));
  return owner !== null && isProcessAlive(owner) ? owner : null;
}

/**
 * Takes the one-writer lock of a data folder. A lock left by a process that
 * no longer runs is taken over; a live one is refused with ENGINE_LOCKED.
 *
 * The lock file appears whole or not at all: it is written aside, then
 * hard-linked into place, which fails when it exists, so a racing process
 * never reads it empty. Only a process holding the short takeover lock may
 * remove a stale lock, and it checks again that it is stale once it holds it,
 * so of several processes that find the same stale lock, one takes it.
 */
export async function acquireWriterLock(dir: string): Promise<{ release(): Promise<void> }> {
  const file = path.join(dir, 'engine.lock');
  const takeover = path.join(dir, 'engine.lock.takeover');
  const mine = path.join(dir, `.engine.lock.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(mine, String(process.pid), { mode: 0o600 });
  const deadline = Date.now() + RACE_WINDOW_MS;
  try {
    for (;;) {
      if (await linkIfAbsent(mine, file)) return { release: () => rm(file, { force: true }) };
      const owner = await readOwner(file);
      if (owner !== null && isProcessAlive(owner)) throw locked(dir, owner);
      if (await linkIfAbsent(mine, takeover)) {
        try {
          const again = await readOwner(file);
          if (again !== null && isProcessAlive(again)) throw locked(dir, again);
          await rm(file, { force: true });
        } finally {
          await rm(takeover, { force: true });
        }
        continue;
      }
      // Another process is taking over. One that died doing so (a window of a few milliseconds) leaves its mark behind.
      const taker = await readOwner(takeover);
      if (taker !== null && !isProcessAlive(taker)) await rm(takeover, { force: true });
      if (Date.now() > deadline) throw new SlipwayError('ENGINE_LOCKED', `Could not take the lock on ${dir}.`, { dir });
      await delay(5);
    }
  } finally {
    await rm(mine, { force: true });
  }
}
