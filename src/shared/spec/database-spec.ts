/*
 * DigitalOcean's `databases:` entries, as Slipway runs them: one container per entry, from the engine's official
 * image, with its data on a named volume. Managed clusters (`production: true`, `cluster_name`) are stood in for
 * by the same container, with a warning; engines without an official single-container image are a named error.
 */
import { z } from 'zod';
import { describeValue, isMap } from './raw-values';
import { isYamlScalar } from './read-yaml';
import { addIssues, quote, type ProblemList } from './spec-problems';
import { NAME_PATTERN, NAME_RULE } from './spec-schema';
import { forgiveName } from './usable-name';

export type DatabaseEngine = 'PG' | 'MYSQL' | 'REDIS' | 'VALKEY' | 'MONGODB';

export interface DatabaseSpec {
  name: string;
  engine: DatabaseEngine;
  /** The version as written (`15`, `8.0`), or the engine's default. */
  version: string;
  /** The database (PG, MySQL, MongoDB) and user Slipway creates; the database's name by default. */
  dbName: string;
  dbUser: string;
}

interface EngineFacts {
  /** The official image's repository, tagged with the version. */
  repository: string;
  port: number;
  defaultVersion: string;
  /** The scheme of DATABASE_URL. */
  scheme: string;
  /** Where the image keeps its data: the volume's mount point. */
  dataDir: string;
  /** Whether the engine has named databases and users of its own (Redis and Valkey have neither). */
  namedDatabase: boolean;
}

export const DATABASE_ENGINES: Readonly<Record<DatabaseEngine, EngineFacts>> = {
  PG: {
    repository: 'postgres',
    port: 5432,
    defaultVersion: '17',
    scheme: 'postgresql',
    dataDir: '/var/lib/postgresql/data',
    namedDatabase: true,
  },
  MYSQL: {
    repository: 'mysql',
    port: 3306,
    defaultVersion: '8',
    scheme: 'mysql',
    dataDir: '/var/lib/mysql',
    namedDatabase: true,
  },
  REDIS: {
    repository: 'redis',
    port: 6379,
    defaultVersion: '7',
    scheme: 'redis',
    dataDir: '/data',
    namedDatabase: false,
  },
  VALKEY: {
    repository: 'valkey/valkey',
    port: 6379,
    defaultVersion: '8',
    scheme: 'redis',
    dataDir: '/data',
    namedDatabase: false,
  },
  MONGODB: {
    repository: 'mongo',
    port: 27017,
    defaultVersion: '7',
    scheme: 'mongodb',
    dataDir: '/data/db',
    namedDatabase: true,
  },
};

/** Engines DigitalOcean offers that do not run as one container of an official image. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  KAFKA: 'Kafka',
  OPENSEARCH: 'OpenSearch',
};

const VERSION = /^\d{1,3}(\.\d{1,3}){0,2}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

const text = (value: unknown) => (isYamlScalar(value) ? value.source : value === null ? undefined : value);

const databaseSchema = z.looseObject({
  engine: z.preprocess(text, z.string({ error: 'must be an engine name such as PG or REDIS' }).optional()),
  version: z.preprocess(
    text,
    z
      .string({ error: 'must be a version such as 15' })
      .regex(VERSION, 'must be a version such as 15 or 8.0')
      .optional(),
  ),
  db_name: z.preprocess(
    text,
    z
      .string()
      .regex(IDENTIFIER, 'must be a database name: letters, digits, _ and -, starting with a letter')
      .optional(),
  ),
  db_user: z.preprocess(
    text,
    z.string().regex(IDENTIFIER, 'must be a user name: letters, digits, _ and -, starting with a letter').optional(),
  ),
  production: z.preprocess(
    (v) => (isYamlScalar(v) ? v.value : v),
    z.boolean({ error: 'must be true or false' }).optional(),
  ),
  cluster_name: z.preprocess(text, z.string({ error: 'must be a cluster name' }).optional()),
});

/** Fields of a database entry that only size or place a managed cluster: nothing to do for a container. */
const IGNORED = new Set(['num_nodes', 'size']);
const KNOWN = new Set(['name', ...Object.keys(databaseSchema.shape), ...IGNORED]);

/** The image a database runs from: `postgres:15`, `valkey/valkey:8`. */
export function databaseImage(db: Pick<DatabaseSpec, 'engine' | 'version'>): string {
  return `${DATABASE_ENGINES[db.engine].repository}:${db.version}`;
}

/** The major version, which decides the data's format: `15` of `15.4`. */
export function majorVersion(version: string): string {
  return version.split('.')[0]!;
}

/** The spec's `databases:` list; every problem goes to `problems`, at its field. */
export function loadDatabases(value: unknown, problems: ProblemList): DatabaseSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.error(
      ['databases'],
      `must be a list of databases, each starting with \`- name:\`, not ${describeValue(value)}`,
    );
    return [];
  }
  const out: DatabaseSpec[] = [];
  value.forEach((raw: unknown, index) => {
    const path = ['databases', index] as const;
    if (!isMap(raw)) {
      problems.error(path, `must be a mapping with name and engine, not ${describeValue(raw)}`);
      return;
    }
    const loaded = loadDatabase(raw, path, problems);
    if (loaded) out.push(loaded);
  });
  return out;
}

function loadDatabase(raw: Record<string, unknown>, path: readonly ['databases', number], problems: ProblemList) {
  const name = forgiveName(raw.name, [...path, 'name'], problems);
  let ok = true;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    problems.error(
      [...path, 'name'],
      name === undefined ? `required: a name (${NAME_RULE})` : `${quote(name)} is not a valid name: ${NAME_RULE}`,
    );
    ok = false;
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN.has(key)) problems.warn([...path, key], 'Slipway does not know this database field. Ignored.');
  }
  const parsed = databaseSchema.safeParse(raw);
  if (!parsed.success) {
    addIssues(problems, path, parsed.error);
    return null;
  }
  const fields = parsed.data;
  const written = (fields.engine ?? 'PG').toUpperCase();
  if (Object.hasOwn(UNSUPPORTED, written)) {
    problems.error(
      [...path, 'engine'],
      `Slipway does not run ${UNSUPPORTED[written]} databases; run it as a service with an image, or point an env at an existing cluster.`,
    );
    return null;
  }
  if (!Object.hasOwn(DATABASE_ENGINES, written)) {
    problems.error(
      [...path, 'engine'],
      `must be one of ${Object.keys(DATABASE_ENGINES).join(', ')}, not ${quote(fields.engine)}`,
    );
    return null;
  }
  if (!ok) return null;
  const engine = written as DatabaseEngine;
  const facts = DATABASE_ENGINES[engine];
  if (fields.production || fields.cluster_name !== undefined) {
    const cluster =
      fields.cluster_name === undefined
        ? 'a managed database cluster'
        : `the managed cluster ${quote(fields.cluster_name)}`;
    problems.warn(
      path,
      `${name as string} stands for ${cluster} on DigitalOcean; Slipway runs it as a container of this app with its data on a volume, not a managed cluster.`,
    );
  }
  if (!facts.namedDatabase && (fields.db_name !== undefined || fields.db_user !== undefined)) {
    problems.warn(path, `${engine} has no named databases or users: db_name and db_user are ignored.`);
  }
  return {
    name: name as string,
    engine,
    version: fields.version ?? facts.defaultVersion,
    dbName: fields.db_name ?? (name as string),
    dbUser: fields.db_user ?? (name as string),
  } satisfies DatabaseSpec;
}
