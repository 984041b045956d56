import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import type { Deployment } from '../../../shared/deployment';
import { ensurePrivateDir } from './private-files';
import { readStateFile, removeInterruptedWrites, writeStateFile } from './state-file';
import { SCHEMA_VERSION } from './state-migrations';
import { acquireWriterLock } from './writer-lock';

/** An app as stored. Its spec's secret values are sealed. */
export interface AppRecord {
  name: string;
  /** Set when the app was given a name of its own (`apps create --name`): the name its spec is written with. */
  specName?: string;
  /** `local`, or the name of a server. */
  server: string;
  /** For an app on a server: build there (`server`), or build on this machine and ship the image (`local`). */
  buildMode?: 'server' | 'local';
  specYaml: string;
  /** The folder a local source is read from (the spec's folder, or its parent for `.do/`); null if none is needed. */
  sourcePath: string | null;
  /** Host ports on 127.0.0.1 per service, chosen once and kept. */
  hostPorts: Record<string, number>;
  /** On a server with an edge, for an app without a domain: the edge's port it is served on, chosen once and kept. */
  edgePort?: number;
  /** The spec file the app was created from (absolute): every deploy reads it again. Absent: the stored spec is deployed. */
  specFile?: string;
  /**
   * Set when a rollback went live pinned: `deployment` is the rollback, `target` the deployment it
   * went back to, `previous` what was live before (kept across a second rollback while pinned).
   */
  pin?: { deployment: string; target: string; previous: string | null; at: string };
  /** Per database of the spec: its generated password, sealed. Kept while the app exists, as its data is. */
  databases?: Record<string, { password: string }>;
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
  /** The server's Slipway edge (Caddy), when enabled: what `servers edge enable` was given. */
  edge?: ServerEdgeSettings;
}

export interface ServerEdgeSettings {
  httpPort: number;
  httpsPort: number;
  /** The address its ports are published on. */
  bind: string;
  tls: 'acme' | 'internal' | 'off';
  acmeEmail?: string;
  image: string;
  /**
   * The image the edge first ran, by digest (`caddy@sha256:…`, or its ID when shipped from this machine):
   * what a recreated edge runs, so a moved tag never changes it behind the user's back. Re-enabling pins anew.
   */
  pinnedImage?: string;
  enabledAt: string;
}

/** A database volume kept when its app was deleted, with the password its data was made with (sealed). */
export interface KeptDatabase {
  server: string;
  app: string;
  db: string;
  volume: string;
  password: string;
}

export interface SlipwayState {
  schemaVersion: number;
  apps: AppRecord[];
  deployments: Deployment[];
  servers: ServerRecord[];
  /** Volumes kept by `apps delete`: an app created again under the name finds its data, and can log in to it. */
  keptDatabases?: KeptDatabase[];
}

export { migrate, MIGRATIONS, SCHEMA_VERSION } from './state-migrations';

/** A lowdb adapter over the state file: validated on read, written atomically with a last good copy. */
class StateFile implements Adapter<SlipwayState> {
  constructor(private readonly file: string) {}

  read(): Promise<SlipwayState | null> {
    return readStateFile(this.file);
  }

  write(data: SlipwayState): Promise<void> {
    return writeStateFile(this.file, data);
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
    const file = path.join(dataDir, 'state.json');
    await removeInterruptedWrites(file);
    const db = new Low<SlipwayState>(new StateFile(file), {
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
