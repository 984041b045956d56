import { describe, expect, it } from 'vitest';
import { databaseBindings } from './database-bindings';
import type { DatabaseSpec } from './database-spec';

const db = (engine: DatabaseSpec['engine'], extra: Partial<DatabaseSpec> = {}): DatabaseSpec => ({
  name: 'db',
  engine,
  version: '15',
  dbName: 'shop',
  dbUser: 'shopper',
  ...extra,
});

describe('databaseBindings', () => {
  it('gives PostgreSQL URLs with the credentials URL-encoded', () => {
    const vars = databaseBindings(db('PG'), 'p@ss/w:rd');
    expect(vars).toMatchObject({
      HOSTNAME: 'db',
      PORT: '5432',
      USERNAME: 'shopper',
      DATABASE: 'shop',
      DATABASE_URL: 'postgresql://shopper:p%40ss%2Fw%3Ard@db:5432/shop',
      JDBC_DATABASE_URL: 'jdbc:postgresql://db:5432/shop?user=shopper&password=p%40ss%2Fw%3Ard',
      REDIS_URL: '',
      CA_CERT: '',
    });
    expect(new URL(vars.DATABASE_URL).password).toBe('p%40ss%2Fw%3Ard');
    expect(decodeURIComponent(new URL(vars.DATABASE_URL).password)).toBe('p@ss/w:rd');
  });

  it('gives Redis and Valkey a REDIS_URL for the default user', () => {
    for (const engine of ['REDIS', 'VALKEY'] as const) {
      const vars = databaseBindings(db(engine, { name: 'cache' }), 'secret');
      expect(vars).toMatchObject({ USERNAME: 'default', PORT: '6379', DATABASE: '0', JDBC_DATABASE_URL: '' });
      expect(vars.REDIS_URL).toBe('redis://default:secret@cache:6379/0');
      expect(vars.DATABASE_URL).toBe(vars.REDIS_URL);
    }
  });

  it('gives MySQL and MongoDB their own schemes', () => {
    expect(databaseBindings(db('MYSQL'), 'x').DATABASE_URL).toBe('mysql://shopper:x@db:3306/shop');
    expect(databaseBindings(db('MYSQL'), 'x').JDBC_DATABASE_URL).toBe(
      'jdbc:mysql://db:3306/shop?user=shopper&password=x',
    );
    expect(databaseBindings(db('MONGODB'), 'x').DATABASE_URL).toBe(
      'mongodb://shopper:x@db:27017/shop?authSource=admin',
    );
  });
});
