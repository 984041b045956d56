/*
 * The bindable variables of a database (`${db.DATABASE_URL}` and the rest of DigitalOcean's list), from where it
 * answers on the app's network and its credentials. Known only at deploy time: the password is never in a spec.
 */
import { DATABASE_ENGINES, type DatabaseSpec } from './database-spec';

/** The names a database binds, as DigitalOcean lists them. */
export const DATABASE_VARIABLES = [
  'HOSTNAME',
  'PORT',
  'USERNAME',
  'PASSWORD',
  'DATABASE',
  'DATABASE_URL',
  'JDBC_DATABASE_URL',
  'REDIS_URL',
  'CA_CERT',
] as const;

export type DatabaseVariable = (typeof DATABASE_VARIABLES)[number];

/** The user Redis and Valkey authenticate a password against. */
const REDIS_USER = 'default';

/** Every bindable variable of a database reached at `db.name` on the app's network with `password`. */
export function databaseBindings(db: DatabaseSpec, password: string): Record<DatabaseVariable, string> {
  const facts = DATABASE_ENGINES[db.engine];
  const host = db.name;
  const port = String(facts.port);
  const username = facts.namedDatabase ? db.dbUser : REDIS_USER;
  const database = facts.namedDatabase ? db.dbName : '0';
  const credentials = `${encodeURIComponent(username)}:${encodeURIComponent(password)}`;
  const path =
    db.engine === 'MONGODB' ? `/${encodeURIComponent(database)}?authSource=admin` : `/${encodeURIComponent(database)}`;
  const url = `${facts.scheme}://${credentials}@${host}:${port}${path}`;
  const jdbc =
    db.engine === 'PG' || db.engine === 'MYSQL'
      ? `jdbc:${db.engine === 'PG' ? 'postgresql' : 'mysql'}://${host}:${port}/${encodeURIComponent(database)}?user=${encodeURIComponent(username)}&password=${encodeURIComponent(password)}`
      : '';
  const redis = facts.namedDatabase ? '' : url;
  return {
    HOSTNAME: host,
    PORT: port,
    USERNAME: username,
    PASSWORD: password,
    DATABASE: database,
    DATABASE_URL: url,
    JDBC_DATABASE_URL: jdbc,
    REDIS_URL: redis,
    // Containers on the app's own network speak without TLS: there is no certificate to trust.
    CA_CERT: '',
  };
}
