import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { SlipwayError } from '../../../shared/errors';
import { isProcessAlive } from '../process-alive';

/**
 * Takes the one-writer lock of a data folder. A lock left by a process that
 * no longer runs is taken over; a live one is refused with ENGINE_LOCKED.
 */
export async function acquireWriterLock(dir: string): Promise<{ release(): Promise<void> }> {
  const file = path.join(dir, 'engine.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isSafeInteger(owner) && isProcessAlive(owner)) {
        throw new SlipwayError(
          'ENGINE_LOCKED',
          `Another Slipway (pid ${owner}) is using ${dir}. Close it, or set SLIPWAY_HOME to another folder.`,
          { pid: owner, dir },
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new SlipwayError('ENGINE_LOCKED', `Could not take the lock on ${dir}.`, { dir });
}
