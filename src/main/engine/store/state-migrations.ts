import { SlipwayError } from '../../../shared/errors';

export const SCHEMA_VERSION = 2;

/**
 * Migrations by the version they upgrade from. Each takes the stored JSON of
 * that version and returns the next version's; they run in order on open.
 */
export const MIGRATIONS: Record<number, (state: Record<string, unknown>) => Record<string, unknown>> = {
  // Version 0: a file written before the schema had a version.
  0: (state) => ({ apps: [], deployments: [], ...state, schemaVersion: 1 }),
  // Version 2 adds remote servers.
  1: (state) => ({ servers: [], ...state, schemaVersion: 2 }),
};

/**
 * Brings stored JSON up to the current schema version, or refuses a newer one
 * (STATE_TOO_NEW). The result still has to pass the state's shape check.
 */
export function migrate(raw: Record<string, unknown>): Record<string, unknown> {
  let state = raw;
  let version = typeof state.schemaVersion === 'number' ? state.schemaVersion : 0;
  if (version > SCHEMA_VERSION) {
    throw new SlipwayError(
      'STATE_TOO_NEW',
      `Slipway's state was written by a newer version (schema ${version}); update Slipway to open it.`,
      { schemaVersion: version, readable: SCHEMA_VERSION },
    );
  }
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new SlipwayError('INTERNAL', `No migration from state schema ${version}.`);
    state = step(state);
    version = state.schemaVersion as number;
  }
  return state;
}
