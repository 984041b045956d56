import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { SlipwayError } from '../../../shared/errors';
import { SLIPWAY_VERSION } from '../../../shared/version';
import { createPrivateFile } from './private-files';
import { SCHEMA_VERSION } from './state-migrations';
import { parseState } from './state-parse';

/** The copy of the state written beside it after every successful write: what a damaged state is restored from. */
export const lastGoodFile = (file: string) => `${file}.last-good`;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What the last good copy offers, in words for the user; `usable` when it can be restored. */
async function lastGoodCopy(file: string): Promise<{ usable: boolean; text: string }> {
  const copy = lastGoodFile(file);
  const bytes = await readFile(copy).catch(() => null);
  if (bytes === null) return { usable: false, text: `${copy} is missing` };
  const parsed = parseState(bytes);
  if (parsed.kind === 'damaged') return { usable: false, text: `${copy} is damaged (${parsed.reason})` };
  if (parsed.kind === 'too-new') return { usable: false, text: `${copy} is from a newer Slipway` };
  const { state } = parsed;
  const written = (await stat(copy)).mtime.toISOString();
  return {
    usable: true,
    text: `${copy} (written ${written}; ${plural(state.apps.length, 'app')}, ${plural(state.deployments.length, 'deployment')}, ${plural(state.servers.length, 'server')})`,
  };
}

/**
 * Copies a damaged state file beside it, as `state.json.damaged-<time>`,
 * never over another file: the user's evidence, whatever happens next. A copy
 * of the same bytes made by an earlier attempt is used again, so that every
 * command run against one damaged file does not add one more.
 */
export async function keepDamagedCopy(file: string, bytes: Buffer): Promise<string> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.damaged-`;
  for (const name of (await readdir(dir)).filter((n) => n.startsWith(prefix)).sort()) {
    const existing = await readFile(path.join(dir, name)).catch(() => null);
    if (existing?.equals(bytes)) return path.join(dir, name);
  }
  const time = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n++) {
    const copy = path.join(dir, `${prefix}${time}${n === 1 ? '' : `-${n}`}`);
    if (await createPrivateFile(copy, bytes)) return copy;
  }
}

/** STATE_DAMAGED for a state file that cannot be read: where it was copied, and how to restore the last good copy. */
export async function stateDamaged(file: string, reason: string, copy: string): Promise<SlipwayError> {
  const good = await lastGoodCopy(file);
  const restore = good.usable
    ? `To restore the last good copy, ${good.text}, copy it over ${file} and run the command again.`
    : `There is no good copy to restore: ${good.text}. Mend ${file} by hand from the copy, or move it away to start with no apps.`;
  return new SlipwayError(
    'STATE_DAMAGED',
    `Slipway's state file ${file} is damaged: ${reason}. Slipway left it as it is and copied it to ${copy}. ${restore}`,
    { file, reason, copy, lastGood: lastGoodFile(file), lastGoodUsable: good.usable },
  );
}

/** STATE_DAMAGED for a state file that is gone while its last good copy is there: never started afresh over it. */
export async function stateMissing(file: string): Promise<SlipwayError> {
  const good = await lastGoodCopy(file);
  const reason = 'it is missing, but its last good copy is there';
  const next = good.usable
    ? `To restore the last good copy, ${good.text}, copy it to ${file} and run the command again; to start with no apps instead, move ${lastGoodFile(file)} away too.`
    : `${good.text}; move it away to start with no apps.`;
  return new SlipwayError('STATE_DAMAGED', `Slipway's state file ${file} is missing. ${next}`, {
    file,
    reason,
    copy: null,
    lastGood: lastGoodFile(file),
    lastGoodUsable: good.usable,
  });
}

/** STATE_TOO_NEW: the state file is a newer Slipway's; it is left untouched. */
export async function stateTooNew(file: string, schemaVersion: number): Promise<SlipwayError> {
  const good = await lastGoodCopy(file);
  const back = good.usable
    ? ` Or, to go back to the state this Slipway last wrote, copy ${good.text} over it, losing what the newer one changed.`
    : '';
  return new SlipwayError(
    'STATE_TOO_NEW',
    `Slipway's state file ${file} was written by a newer Slipway (state schema ${schemaVersion}; Slipway ${SLIPWAY_VERSION} reads up to ${SCHEMA_VERSION}). Nothing was changed: update Slipway to open it.${back}`,
    { file, schemaVersion, readable: SCHEMA_VERSION, lastGood: lastGoodFile(file), lastGoodUsable: good.usable },
  );
}
