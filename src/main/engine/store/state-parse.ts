import { migrate, SCHEMA_VERSION } from './state-migrations';
import { describeShapeIssues, storedStateSchema } from './state-schema';
import type { SlipwayState } from './state-store';

/** What a state file's bytes hold: a state of the current version, or why it cannot be opened. */
export type ParsedState =
  | { kind: 'ok'; state: SlipwayState }
  | { kind: 'damaged'; reason: string }
  | { kind: 'too-new'; schemaVersion: number };

const utf8 = new TextDecoder('utf-8', { fatal: true });

const damaged = (reason: string): ParsedState => ({ kind: 'damaged', reason });

const kindOf = (value: unknown) => (Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`);

/** Why JSON.parse failed, by where, never quoting the text (V8's own message does). */
function jsonFailure(err: unknown, length: number): string {
  const message = String(err);
  const at = /at position (\d+)/.exec(message);
  const cutShort = /end of (JSON )?input|Unterminated/i.test(message) || (at !== null && Number(at[1]) >= length - 1);
  if (cutShort) return 'it ends midway, as if cut short';
  return at ? `it is not valid JSON (at character ${at[1]})` : 'it is not valid JSON';
}

/**
 * Reads a state file's bytes: JSON of Slipway's state, of this schema version
 * or an older one (migrated), in the shape the engine works with.
 */
export function parseState(bytes: Uint8Array): ParsedState {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return damaged('it is not UTF-8 text');
  }
  if (text.trim() === '') return damaged('it is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return damaged(jsonFailure(err, text.length));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return damaged(`it holds ${kindOf(value)} where Slipway keeps an object`);
  }
  const raw = value as Record<string, unknown>;
  if ('schemaVersion' in raw) {
    const version = raw.schemaVersion;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
      return damaged('its schemaVersion is not a version number');
    }
    if (version > SCHEMA_VERSION) return { kind: 'too-new', schemaVersion: version };
  } else if (!('apps' in raw)) {
    // A file from before versions always had its apps; an object with neither is not a state at all.
    return damaged('it has neither a schemaVersion nor apps');
  }
  const state = migrate(raw);
  const shape = storedStateSchema.safeParse(state);
  if (!shape.success) return damaged(`it is not in the shape Slipway writes: ${describeShapeIssues(shape.error)}`);
  return { kind: 'ok', state: state as unknown as SlipwayState };
}

/** True when a state has the shape the engine works with (what may become the last good copy). */
export function hasStateShape(state: SlipwayState): boolean {
  return storedStateSchema.safeParse(state).success;
}
