import { describe, expect, it } from 'vitest';
import type { DatabaseSpec } from '../../../shared/spec/database-spec';
import {
  databaseCreateOptions,
  databaseHealthcheck,
  databaseShellCommand,
  databaseVolumeOptions,
  type DatabaseRequest,
} from './database-options';

const PASSWORD = 'Pa55word-from-the-box';

function request(engine: DatabaseSpec['engine'], version = '15'): DatabaseRequest {
  return {
    owner: 'owner-1',
    app: 'shop',
    db: { name: 'db', engine, version, dbName: 'shop', dbUser: 'shopper' },
    password: PASSWORD,
    network: 'slipway-shop',
  };
}

describe('databaseCreateOptions', () => {
  it('runs PostgreSQL from postgres:<version> on the app network, its data on the volume, nothing published', () => {
    const options = databaseCreateOptions(request('PG'), 'digest-1');
    expect(options).toMatchObject({
      name: 'slipway-shop-db',
      Image: 'postgres:15',
      Env: ['POSTGRES_USER=shopper', 'POSTGRES_DB=shop', `POSTGRES_PASSWORD=${PASSWORD}`],
      Labels: {
        'dev.slipway.managed': 'true',
        'dev.slipway.owner': 'owner-1',
        'dev.slipway.app': 'shop',
        'dev.slipway.component': 'db',
        'dev.slipway.database': 'db',
        'dev.slipway.database.config': 'digest-1',
      },
      HostConfig: {
        RestartPolicy: { Name: 'unless-stopped' },
        NetworkMode: 'slipway-shop',
        Mounts: [{ Type: 'volume', Source: 'slipway-shop-db-data', Target: '/var/lib/postgresql/data' }],
      },
      NetworkingConfig: { EndpointsConfig: { 'slipway-shop': { Aliases: ['db'] } } },
    });
    expect(options.HostConfig?.PortBindings).toBeUndefined();
    expect(options.Cmd).toBeUndefined();
  });

  it('never puts the password in a label, the command or the health check', () => {
    for (const engine of ['PG', 'MYSQL', 'REDIS', 'VALKEY', 'MONGODB'] as const) {
      const options = databaseCreateOptions(request(engine, '8'), 'd');
      const { Env: _env, ...rest } = options;
      expect(JSON.stringify(rest), engine).not.toContain(PASSWORD);
      expect(JSON.stringify(databaseVolumeOptions(request(engine)))).not.toContain(PASSWORD);
      expect(databaseShellCommand(request(engine).db).join(' ')).not.toContain(PASSWORD);
    }
  });

  it('gives each engine its official image, data folder and settings', () => {
    expect(databaseCreateOptions(request('MYSQL', '8.0'), 'd')).toMatchObject({
      Image: 'mysql:8.0',
      Env: [
        'MYSQL_USER=shopper',
        'MYSQL_DATABASE=shop',
        `MYSQL_PASSWORD=${PASSWORD}`,
        `MYSQL_ROOT_PASSWORD=${PASSWORD}`,
      ],
      HostConfig: { Mounts: [{ Target: '/var/lib/mysql' }] },
    });
    expect(databaseCreateOptions(request('REDIS', '7'), 'd')).toMatchObject({
      Image: 'redis:7',
      Env: [`REDIS_PASSWORD=${PASSWORD}`],
      Cmd: ['sh', '-c', 'exec redis-server --appendonly yes --requirepass "$REDIS_PASSWORD"'],
      HostConfig: { Mounts: [{ Target: '/data' }] },
    });
    expect(databaseCreateOptions(request('VALKEY', '8'), 'd')).toMatchObject({
      Image: 'valkey/valkey:8',
      Cmd: ['sh', '-c', 'exec valkey-server --appendonly yes --requirepass "$REDIS_PASSWORD"'],
    });
    expect(databaseCreateOptions(request('MONGODB', '7'), 'd')).toMatchObject({
      Image: 'mongo:7',
      Env: [
        'MONGO_INITDB_ROOT_USERNAME=shopper',
        `MONGO_INITDB_ROOT_PASSWORD=${PASSWORD}`,
        'MONGO_INITDB_DATABASE=shop',
      ],
      HostConfig: { Mounts: [{ Target: '/data/db' }] },
    });
  });

  it('labels the volume with the engine and major version its data is for', () => {
    expect(databaseVolumeOptions(request('PG', '15.4'))).toEqual({
      Name: 'slipway-shop-db-data',
      Labels: {
        'dev.slipway.managed': 'true',
        'dev.slipway.owner': 'owner-1',
        'dev.slipway.app': 'shop',
        'dev.slipway.component': 'db',
        'dev.slipway.database': 'db',
        'dev.slipway.database.engine': 'PG',
        'dev.slipway.database.major': '15',
      },
    });
  });
});

describe('databaseHealthcheck and databaseShellCommand', () => {
  it("checks with the engine's own client, reading credentials from the container's environment", () => {
    expect(databaseHealthcheck(request('PG').db).Test).toEqual([
      'CMD-SHELL',
      'pg_isready -q -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"',
    ]);
    expect(databaseHealthcheck(request('REDIS').db).Test?.[1]).toContain('REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli');
    expect(databaseShellCommand(request('PG').db)).toEqual([
      'sh',
      '-c',
      'exec psql -U "$POSTGRES_USER" -d "$POSTGRES_DB"',
    ]);
    expect(databaseShellCommand(request('MYSQL').db)[2]).toContain('mysql -u "$MYSQL_USER" "$MYSQL_DATABASE"');
    expect(databaseShellCommand(request('MONGODB').db)[2]).toContain('mongosh');
  });
});
