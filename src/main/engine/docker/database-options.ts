/*
 * What Docker is asked to make for an app's database: its data volume and its container, from the engine's official
 * image, configured the way that image documents (environment variables, its data folder, a health check). The
 * password goes in the container's environment only, never in a label, a name or its command.
 */
import type Docker from 'dockerode';
import { LABELS } from '../../../shared/labels';
import { DATABASE_ENGINES, databaseImage, majorVersion, type DatabaseSpec } from '../../../shared/spec/database-spec';
import { slipwayLabels } from './labels';

export interface DatabaseRequest {
  owner: string;
  app: string;
  db: DatabaseSpec;
  password: string;
  network: string;
}

/** `slipway-<app>-<db>-data`: the volume a database keeps its data on, across every deployment. */
export function databaseVolumeName(app: string, db: string): string {
  return `slipway-${app}-${db}-data`;
}

/** `slipway-<app>-<db>`: one container per database, replaced only when its image or settings change. */
export function databaseContainerName(app: string, db: string): string {
  return `slipway-${app}-${db}`;
}

/** The labels of a database's container and volume: Slipway's own, and the database's name. */
export function databaseLabels(owner: string, app: string, db: string): Record<string, string> {
  return { ...slipwayLabels(owner, app, db), [LABELS.database]: db };
}

/** The data volume, labelled with the engine and major version its data is for. */
export function databaseVolumeOptions(
  request: Omit<DatabaseRequest, 'password' | 'network'>,
): Docker.VolumeCreateOptions {
  return {
    Name: databaseVolumeName(request.app, request.db.name),
    Labels: {
      ...databaseLabels(request.owner, request.app, request.db.name),
      [LABELS.databaseEngine]: request.db.engine,
      [LABELS.databaseMajor]: majorVersion(request.db.version),
    },
  };
}

/** The environment the engine's official image initialises its database from. */
export function databaseEnv(db: DatabaseSpec, password: string): string[] {
  switch (db.engine) {
    case 'PG':
      return [`POSTGRES_USER=${db.dbUser}`, `POSTGRES_DB=${db.dbName}`, `POSTGRES_PASSWORD=${password}`];
    case 'MYSQL':
      // The root password is the same secret: nobody but this app's own user logs in.
      return [
        `MYSQL_USER=${db.dbUser}`,
        `MYSQL_DATABASE=${db.dbName}`,
        `MYSQL_PASSWORD=${password}`,
        `MYSQL_ROOT_PASSWORD=${password}`,
      ];
    case 'MONGODB':
      return [
        `MONGO_INITDB_ROOT_USERNAME=${db.dbUser}`,
        `MONGO_INITDB_ROOT_PASSWORD=${password}`,
        `MONGO_INITDB_DATABASE=${db.dbName}`,
      ];
    case 'REDIS':
    case 'VALKEY':
      // The official images take no password setting: the command passes it from here (see databaseCommand).
      return [`REDIS_PASSWORD=${password}`];
  }
}

/** The command, where the image's own default would run without a password; it reads the password from the environment. */
export function databaseCommand(db: DatabaseSpec): string[] | undefined {
  if (db.engine === 'REDIS' || db.engine === 'VALKEY') {
    const server = db.engine === 'REDIS' ? 'redis-server' : 'valkey-server';
    return ['sh', '-c', `exec ${server} --appendonly yes --requirepass "$REDIS_PASSWORD"`];
  }
  return undefined;
}

/** A health check with the engine's own client, inside the container: healthy once it accepts logins. */
export function databaseHealthcheck(db: DatabaseSpec): Docker.HealthConfig {
  const test = (() => {
    switch (db.engine) {
      case 'PG':
        // Over TCP: the server the image starts while it initialises listens on its socket only.
        return 'pg_isready -q -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"';
      case 'MYSQL':
        return 'MYSQL_PWD="$MYSQL_PASSWORD" mysqladmin ping -h 127.0.0.1 -u "$MYSQL_USER" --silent';
      case 'MONGODB':
        return 'mongosh --quiet --eval "db.adminCommand({ping: 1}).ok" | grep -q 1';
      case 'REDIS':
        return 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 ping | grep -q PONG';
      case 'VALKEY':
        return 'REDISCLI_AUTH="$REDIS_PASSWORD" valkey-cli -h 127.0.0.1 ping | grep -q PONG';
    }
  })();
  const second = 1_000_000_000;
  return {
    Test: ['CMD-SHELL', test],
    Interval: 2 * second,
    Timeout: 5 * second,
    Retries: 30,
    StartPeriod: 60 * second,
    // Docker 25+ checks this often while the database starts, so it is healthy soon after it is.
    StartInterval: second / 4,
  } as Docker.HealthConfig;
}

/** The database's own client at a terminal, inside its container, logged in as the app's user. */
export function databaseShellCommand(db: DatabaseSpec): string[] {
  switch (db.engine) {
    case 'PG':
      return ['sh', '-c', 'exec psql -U "$POSTGRES_USER" -d "$POSTGRES_DB"'];
    case 'MYSQL':
      return ['sh', '-c', 'MYSQL_PWD="$MYSQL_PASSWORD" exec mysql -u "$MYSQL_USER" "$MYSQL_DATABASE"'];
    case 'MONGODB':
      return [
        'sh',
        '-c',
        'exec mongosh --quiet -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin "$MONGO_INITDB_DATABASE"',
      ];
    case 'REDIS':
      return ['sh', '-c', 'REDISCLI_AUTH="$REDIS_PASSWORD" exec redis-cli'];
    case 'VALKEY':
      return ['sh', '-c', 'REDISCLI_AUTH="$REDIS_PASSWORD" exec valkey-cli'];
  }
}

/**
 * The database's container: on the app's network under the database's name, its data on the volume, restarted
 * unless stopped, nothing published. `config` labels what it was made from, so a change of image or settings
 * (never of the data) replaces it.
 */
export function databaseCreateOptions(request: DatabaseRequest, config: string): Docker.ContainerCreateOptions {
  const { db } = request;
  const command = databaseCommand(db);
  return {
    name: databaseContainerName(request.app, db.name),
    Image: databaseImage(db),
    Env: databaseEnv(db, request.password),
    Labels: { ...databaseLabels(request.owner, request.app, db.name), [LABELS.databaseConfig]: config },
    ...(command ? { Cmd: command } : {}),
    Healthcheck: databaseHealthcheck(db),
    HostConfig: {
      RestartPolicy: { Name: 'unless-stopped' },
      NetworkMode: request.network,
      Mounts: [
        {
          Type: 'volume',
          Source: databaseVolumeName(request.app, db.name),
          Target: DATABASE_ENGINES[db.engine].dataDir,
        },
      ],
    },
    NetworkingConfig: { EndpointsConfig: { [request.network]: { Aliases: [db.name] } } },
  };
}
