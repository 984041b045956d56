/*
 * The `databases` domain: an app's databases as its current spec declares them, with what their engine says of
 * them, and one database's credentials for a user who asked to see them.
 */
import type { DatabaseCredentials, DatabaseHealth, DatabaseSummary } from '../../../shared/domains/databases';
import { SlipwayError } from '../../../shared/errors';
import { LABELS } from '../../../shared/labels';
import { databaseBindings } from '../../../shared/spec/database-bindings';
import { DATABASE_ENGINES, databaseImage, type DatabaseSpec } from '../../../shared/spec/database-spec';
import { databaseVolumeName } from '../docker/database-options';
import { listDatabaseContainers, volumeSizes } from '../docker/databases';
import type { EngineContext } from '../engine-context';
import { loadStoredSpec } from '../store/stored-spec';
import type { AppRecord } from '../store/state-store';
import { appOrThrow } from './app-lookup';

const specDatabases = (app: AppRecord): readonly DatabaseSpec[] => loadStoredSpec(app.specYaml).spec?.databases ?? [];

function healthOf(container: { State: string; Status: string } | undefined): DatabaseHealth {
  if (!container) return 'missing';
  if (container.State !== 'running') return 'stopped';
  if (container.Status.includes('(healthy)')) return 'healthy';
  if (container.Status.includes('(unhealthy)')) return 'unhealthy';
  return 'starting';
}

/** Each database of the app's spec with its health and its volume's size, as its Docker engine tells them. */
export async function listDatabases(ctx: EngineContext, appName: string): Promise<DatabaseSummary[]> {
  const app = appOrThrow(ctx, appName);
  const databases = specDatabases(app);
  if (databases.length === 0) return [];
  const volumes = databases.map((db) => databaseVolumeName(app.name, db.name));
  let containers: Awaited<ReturnType<typeof listDatabaseContainers>> | null = null;
  let sizes = new Map<string, number>();
  try {
    const host = await ctx.hostFor(app.server);
    containers = await listDatabaseContainers(host, ctx.owner, app.name);
    sizes = await volumeSizes(host, volumes);
  } catch {
    // The engine does not answer: the databases are listed from the spec, their health unknown.
  }
  return databases.map((db, i) => ({
    name: db.name,
    engine: db.engine,
    version: db.version,
    image: databaseImage(db),
    health: containers ? healthOf(containers.find((c) => c.Labels[LABELS.database] === db.name)) : 'unreachable',
    volume: volumes[i]!,
    volumeBytes: sizes.get(volumes[i]!) ?? null,
  }));
}

/** A database's credentials, password included; refused for one the spec does not declare or that never ran. */
export function databaseCredentials(ctx: EngineContext, appName: string, dbName: string): DatabaseCredentials {
  const app = appOrThrow(ctx, appName);
  const db = specDatabases(app).find((d) => d.name === dbName);
  if (!db) {
    throw new SlipwayError('DATABASE_NOT_FOUND', `db: ${appName} has no database named ${dbName}.`, {
      app: appName,
      db: dbName,
    });
  }
  const sealed = app.databases?.[db.name]?.password;
  if (!sealed) {
    throw new SlipwayError(
      'DATABASE_NOT_FOUND',
      `db: ${dbName} has no credentials yet: deploy ${appName} once and Slipway makes them.`,
      { app: appName, db: dbName },
    );
  }
  const vars = databaseBindings(db, ctx.secrets.open(sealed));
  return {
    name: db.name,
    engine: db.engine,
    host: vars.HOSTNAME,
    port: DATABASE_ENGINES[db.engine].port,
    username: vars.USERNAME,
    password: vars.PASSWORD,
    database: vars.DATABASE,
    url: vars.DATABASE_URL,
  };
}
