import { randomBytes } from 'node:crypto';
import { link, open, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SlipwayError } from '../../../shared/errors';
import { isProcessAlive } from '../base/process-alive';

const LOCK = 'engine.lock';
/** How long a taker keeps trying while another removes a stale lock. */
const RACE_WINDOW_MS = 10_000;
/** How many dead breakers in a row a taker steps over (each one died within milliseconds of the last). */
const MAX_BREAK_DEPTH = 8;

/** A lock file or break mark: the pid that wrote it (null if garbled), and an id no other such file ever has. */
interface Mark {
  pid: number | null;
  id: string;
}

async function readMark(file: string): Promise<Mark | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const [text, stats] = await Promise.all([handle.readFile('utf8'), handle.stat({ bigint: true })]);
    const [pidText = '', nonce = ''] = text.trim().split(/\s+/);
    const pid = Number.parseInt(pidText, 10);
    return {
      pid: Number.isSafeInteger(pid) && pid > 0 ? pid : null,
      // A lock of an older Slipway (or a garbled one) has no nonce: its inode and write time tell it apart.
      id: /^[0-9a-f]{16}$/.test(nonce) ? nonce : `i${stats.ino}-${stats.mtimeNs}`,
    };
  } finally {
    await handle.close();
  }
}

/**
 * Puts a new mark (this pid and a fresh nonce) at `target` unless something
 * is there: it is written aside and hard-linked into place, so nobody ever
 * reads it half-written. The mark's nonce, or null when `target` exists.
 */
async function claim(target: string): Promise<string | null> {
  const nonce = randomBytes(8).toString('hex');
  const aside = path.join(path.dirname(target), `.${LOCK}.${process.pid}.${nonce}`);
  await writeFile(aside, `${process.pid} ${nonce}`, { mode: 0o600, flag: 'wx' });
  try {
    await link(aside, target);
    return nonce;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw err;
  } finally {
    await rm(aside, { force: true });
  }
}

type Outcome = { heldBy: number } | 'gone' | 'busy';

/**
 * Removes a mark whose writer no longer runs. Of all who find the same stale
 * mark, only the one who claims its break mark (named for that one file) may
 * remove it, and only after reading again that the same file is there: while
 * its break mark is held nobody else can remove it, so no lock taken in the
 * meantime is ever removed in its place. A breaker that died leaves a stale
 * break mark, removed the same way.
 */
async function removeIfStale(file: string, depth = 0): Promise<Outcome> {
  const mark = await readMark(file);
  if (!mark) return 'gone';
  if (mark.pid !== null && isProcessAlive(mark.pid)) return { heldBy: mark.pid };
  const breakMark = path.join(path.dirname(file), `${LOCK}.break-${mark.id}`);
  if ((await claim(breakMark)) !== null) {
    try {
      if ((await readMark(file))?.id === mark.id) await rm(file, { force: true });
    } finally {
      await rm(breakMark, { force: true });
    }
    return 'gone';
  }
  if (depth < MAX_BREAK_DEPTH) await removeIfStale(breakMark, depth + 1);
  return 'busy';
}

/** Removes what takers that died midway left in the folder: their aside files and break marks. */
async function sweepLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(`.${LOCK}.`) && !name.startsWith(`${LOCK}.break-`) && name !== `${LOCK}.takeover`) continue;
    // Only a known dead writer's: an aside file is briefly empty while its writer fills it.
    const mark = await readMark(path.join(dir, name)).catch(() => null);
    if (mark && mark.pid !== null && !isProcessAlive(mark.pid)) await rm(path.join(dir, name), { force: true });
  }
}

const locked = (dir: string, pid: number) =>
  new SlipwayError(
    'ENGINE_LOCKED',
    `Another Slipway (pid ${pid}) is using ${dir}. Close it, or set SLIPWAY_HOME to another folder.`,
    { pid, dir },
  );

/** The live process holding a data folder's lock, or null. */
export async function lockHolder(dir: string): Promise<number | null> {
  const mark = await readMark(path.join(dir, LOCK));
  return mark && mark.pid !== null && isProcessAlive(mark.pid) ? mark.pid : null;
}

/**
 * Takes the one-writer lock of a data folder. A lock left by a process that
 * no longer runs is taken over; a live one is refused with ENGINE_LOCKED.
 * The lock file appears whole or not at all, and a stale one is removed only
 * by the one taker that claimed it (see `removeIfStale`), so of any number of
 * processes starting at once, exactly one becomes the writer.
 */
export async function acquireWriterLock(
  dir: string,
  options = { waitMs: RACE_WINDOW_MS },
): Promise<{ release(): Promise<void> }> {
  const file = path.join(dir, LOCK);
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const nonce = await claim(file);
    if (nonce !== null) {
      await sweepLeftovers(dir);
      return {
        async release() {
          if ((await readMark(file))?.id === nonce) await rm(file, { force: true });
        },
      };
    }
    const outcome = await removeIfStale(file);
    if (typeof outcome === 'object') throw locked(dir, outcome.heldBy);
    if (Date.now() > deadline) throw new SlipwayError('ENGINE_LOCKED', `Could not take the lock on ${dir}.`, { dir });
    // Another taker is removing a stale lock: it takes milliseconds.
    if (outcome === 'busy') await delay(5);
  }
}
