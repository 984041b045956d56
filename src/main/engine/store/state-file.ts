import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writePrivateFile } from './private-files';
import { keepDamagedCopy, lastGoodFile, stateDamaged, stateMissing, stateTooNew } from './state-damage';
import { hasStateShape, parseState } from './state-parse';
import type { SlipwayState } from './state-store';

const readIfThere = (file: string): Promise<Buffer | null> =>
  readFile(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });

/**
 * Reads the state file: its state, migrated to this version, or null when
 * there is none yet. A file that cannot be read as Slipway's state is never
 * replaced: it fails with STATE_DAMAGED (kept as a copy, with how to restore
 * the last good copy) or STATE_TOO_NEW.
 */
export async function readStateFile(file: string): Promise<SlipwayState | null> {
  const bytes = await readIfThere(file);
  if (bytes === null) {
    if ((await readIfThere(lastGoodFile(file))) !== null) throw await stateMissing(file);
    return null;
  }
  const parsed = parseState(bytes);
  if (parsed.kind === 'ok') return parsed.state;
  if (parsed.kind === 'too-new') throw await stateTooNew(file, parsed.schemaVersion);
  throw await stateDamaged(file, parsed.reason, await keepDamagedCopy(file, bytes));
}

/**
 * Writes the state file atomically and durably (see `writePrivateFile`), then
 * the same bytes as its last good copy, when the state has the shape a later
 * open accepts: so the copy is always one that can be restored.
 */
export async function writeStateFile(file: string, state: SlipwayState): Promise<void> {
  const text = JSON.stringify(state, null, 2);
  await writePrivateFile(file, text);
  if (hasStateShape(state)) await writePrivateFile(lastGoodFile(file), text);
  else console.error(`Slipway's state is not in the shape it should be; ${lastGoodFile(file)} was kept as it was.`);
}

/** Removes the aside files of state writes a crash interrupted (only the lock's holder writes them). */
export async function removeInterruptedWrites(file: string): Promise<void> {
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const aside = new RegExp(`^\\.${base}(\\.last-good)?\\.[0-9a-f]{12}\\.tmp$`);
  for (const name of await readdir(path.dirname(file))) {
    if (aside.test(name)) await rm(path.join(path.dirname(file), name), { force: true });
  }
}
