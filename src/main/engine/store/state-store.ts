import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import type { Deployment } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import { ensurePrivateDir, writePrivateFile } from './private-files';
import { acquireWriterLock } from './writer-lock';

/** An app as stored. Its spec's secret values are sealed. */
export interface AppRecord {
  name: string;
  /** `local`, or the name of a server. */
  server: string;
  /** For an app on a server: build there (`server`), or build on this machine and ship the image (`local`). */
  buildMode?: 'server' | 'local';
  specYaml: string;
  /** The folder a local source is read from (the spec's folder, or its parent for `.do/`); null if none is needed. */
  sourcePath: string | null;
  /** Host ports on 127.0.0.1 per service, chosen once and kept. */
  hostPorts: Record<string, number>;
  createdAt: string;
  updatedAt: string;
}

/** A server as stored. Its password or key passphrase is sealed. */
export interface ServerRecord {
  name: string;
  host: string;
  port: number;
  user: string;
  auth:
    { type: 'agent' } | { type: 'key'; keyPath: string; passphrase?: string } | { type: 'password'; password: string };
  jump: string | null;
  dockerSocket: string;
  /** The SHA256 fingerprint the user trusted (or known_hosts vouched for); null until then. */
  hostKey: string | null;
  createdAt: string;
}

export interface SlipwayState {
  schemaVersion: number;
  apps: AppRecord[];
  deployments: Deployment[];
  servers: ServerRecord[];
}

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

/** Brings stored JSON up to the current schema version, or refuses a newer one. */
export function migrate(raw: Record<string, unknown>): SlipwayState {
  let state = raw;
  let version = typeof state.schemaVersion === 'number' ? state.schemaVersion : 0;
  if (version > SCHEMA_VERSION) {
    throw new SlipwayError(
      'INTERNAL',
      `Slipway's state was written by a newer version (schema ${version}); update Slipway to open it.`,
    );
  }
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new SlipwayError('INTERNAL', `No migration from state schema ${version}.`);
    state = step(state);
    version = state.schemaVersion as number;
  }
  return state as unknown as SlipwayState;
}

/** A lowdb adapter that reads JSON and writes it atomically, readable by its owner only. */
class PrivateJsonFile implements Adapter<SlipwayState> {
  constructor(private readonly file: string) {}

  async read(): Promise<SlipwayState | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return migrate(JSON.parse(text) as Record<string, unknown>);
  }

  async write(data: SlipwayState): Promise<void> {
    await writePrivateFile(this.file, JSON.stringify(data, null, 2));
  }
}

export interface StateStore {
  /** The state in memory; change it only inside `update`. */
  readonly state: SlipwayState;
  /** Applies a change and resolves once it is written; writes happen one at a time, in order. */
  update<T>(change: (state: SlipwayState) => T): Promise<T>;
  /**
   * Applies a change now and writes it with the next write, without waiting:
   * for a deployment's progress, which changes often and which reconciliation
   * repairs after a crash. `flushed()` waits for it.
   */
  note(change: (state: SlipwayState) => void): void;
  /** Resolves once every change made so far is on disk. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

/** Opens Slipway's state in a data folder (0700), holding its one-writer lock. */
export async function openStateStore(dataDir: string): Promise<StateStore> {
  await ensurePrivateDir(dataDir);
  const lock = await acquireWriterLock(dataDir);
  try {
    const db = new Low<SlipwayState>(new PrivateJsonFile(path.join(dataDir, 'state.json')), {
      schemaVersion: SCHEMA_VERSION,
      apps: [],
      deployments: [],
      servers: [],
    });
    await db.read();
    await db.write();
    // Changes apply in memory at once; writes are coalesced: every change made
    // while a write is in flight goes out together in the next one.
    let chain: Promise<void> = Promise.resolve();
    let pending: Promise<void> | null = null;
    const flush = (): Promise<void> => {
      if (!pending) {
        const next = chain.then(() => {
          pending = null; // changes from now on wait for the next write
          return db.write();
        });
        pending = next;
        chain = next.catch(() => undefined);
      }
      return pending;
    };
    return {
      get state() {
        return db.data;
      },
      async update(change) {
        const result = change(db.data);
        await flush();
        return result;
      },
      note(change) {
        change(db.data);
        flush().catch((err: unknown) => console.error(`Slipway could not write its state: ${(err as Error).message}`));
      },
      flushed: () => chain,
      async close() {
        await chain;
        await lock.release();
      },
    };
  } catch (err) {
    await lock.release();
    throw err;
  }
}
