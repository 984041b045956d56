/*
 * An app's databases, as a user runs them through the built CLI against the real Docker engine: PostgreSQL and
 * Redis from the offline images (npm run offline-images), bound by `${db.DATABASE_URL}` / `${cache.REDIS_URL}`,
 * their data kept through every operation that replaces the app's containers, and through a delete unless asked.
 */
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/shared/deployment';
import type { DatabaseCredentials } from '../../src/shared/domains/databases';
import { useCliScratch } from '../support/cli-scratch';
import { eventually, httpGet } from '../support/deploy-fixtures';
import { runSlipway } from '../support/slipway-process';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'databases');
const APPS = { pg: 'dbt-pg', redis: 'dbt-redis' } as const;
/** What this file makes itself, to prove nobody else's objects are touched. */
const BYSTANDER = 'slipway-test-databases-bystander';

const docker = new Docker();
const scratch = useCliScratch('databases', Object.values(APPS));

async function cli(...argv: string[]) {
  const run = await runSlipway(scratch.data(), argv);
  expect(run.code, `slipway ${argv.join(' ')}:\n${run.out}\n${run.err}`).toBe(0);
  return run.out;
}

/** A copy of a fixture app in the scratch folder, under a name of this test's. */
async function fixture(folder: string, name: string): Promise<string> {
  const dir = path.join(scratch.dir(), name);
  await cp(path.join(FIXTURES, folder), dir, { recursive: true });
  await rename(dir, name);
  return dir;
}

async function rename(dir: string, name: string) {
  const spec = path.join(dir, 'app.yaml');
  await writeFile(spec, (await readFile(spec, 'utf8')).replace(/^name: .*$/m, `name: ${name}`));
}

async function latest(app: string): Promise<Deployment> {
  const [newest] = JSON.parse(await cli('apps', 'list-deployments', app, '-o', 'json')) as Deployment[];
  expect(newest?.phase, JSON.stringify(newest?.error)).toBe('ACTIVE');
  return newest!;
}

/** The environment the app's web service was started with, as it serves it. */
async function serviceEnv(d: Deployment): Promise<Record<string, string>> {
  const url = d.endpoints.find((e) => e.component === 'web')!.url;
  const { body } = await httpGet(`${url}/env`);
  return Object.fromEntries(
    body
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** Runs a client of the database's own image on the app's network, as another container of the app would. */
async function onAppNetwork(app: string, image: string, entrypoint: string, cmd: string[]): Promise<string> {
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: [entrypoint],
    Cmd: cmd,
    Labels: { [BYSTANDER]: 'client' },
    HostConfig: { NetworkMode: `slipway-${app}` },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const output = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    // Docker frames each chunk with an 8-byte header when there is no TTY.
    let text = '';
    for (let i = 0; i + 8 <= output.length;) {
      const size = output.readUInt32BE(i + 4);
      text += output.subarray(i + 8, i + 8 + size).toString('utf8');
      i += 8 + size;
    }
    expect(StatusCode, text).toBe(0);
    return text.trim();
  } finally {
    await container.remove({ force: true });
  }
}

const psql = (app: string, url: string, sql: string) =>
  onAppNetwork(app, 'postgres:15', 'psql', [url, '-tA', '-v', 'ON_ERROR_STOP=1', '-c', sql]);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile() && (await stat(full)).size < 50_000_000) out.push(full);
  }
  return out;
}

describe('databases of an app (the built CLI, real Docker, real PostgreSQL and Redis)', () => {
  beforeAll(async () => {
    await docker.createVolume({ Name: BYSTANDER, Labels: { [BYSTANDER]: 'volume' } });
  });
  afterAll(async () => {
    for (const c of await docker.listContainers({ all: true, filters: { label: [BYSTANDER] } }))
      await docker.getContainer(c.Id).remove({ force: true });
    await docker
      .getVolume(BYSTANDER)
      .remove()
      .catch(() => undefined);
  });

  it('binds ${db.DATABASE_URL}; the data survives a redeploy, a restart, a rollback and clearing old deployments', async () => {
    const dir = await fixture('pg-app', APPS.pg);
    // Before anything runs, the user sees what will: the database, its image and its volume.
    expect(await cli('apps', 'spec', 'validate', path.join(dir, 'app.yaml'))).toContain(
      'deployable: service web, database db (PG 15)',
    );
    expect(await cli('apps', 'spec', 'plan', dir)).toContain(
      'database:     PG 15, from postgres:15, data on the volume slipway-dbt-pg-db-data',
    );
    await cli('apps', 'create', '--spec', dir);
    await cli('apps', 'deploy', APPS.pg, '--wait');
    const first = await latest(APPS.pg);
    // The database is its own step, healthy before the service that binds it starts.
    const steps = first.progress.find((s) => s.name === 'deploy')!.steps!;
    const database = steps.findIndex((s) => s.name === 'deploy.database:db');
    expect(steps[database]).toMatchObject({ title: 'Start database db', status: 'SUCCESS' });
    expect(database).toBeLessThan(steps.findIndex((s) => s.name === 'deploy.web'));

    const env = await serviceEnv(first);
    const creds = JSON.parse(
      await cli('apps', 'db', 'credentials', APPS.pg, 'db', '-o', 'json'),
    ) as DatabaseCredentials;
    expect(env.DATABASE_URL).toBe(`postgresql://db:${creds.password}@db:5432/db`);
    expect(env.DB_HOST).toBe('db');
    expect(creds.password.length).toBeGreaterThanOrEqual(24);
    const url = env.DATABASE_URL!;
    await psql(APPS.pg, url, 'CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$first$$);');

    const rows = () => psql(APPS.pg, url, 'SELECT string_agg(body, $$,$$ ORDER BY body) FROM notes;');
    await cli('apps', 'redeploy', APPS.pg, '--wait');
    expect(await rows()).toBe('first');
    await psql(APPS.pg, url, 'INSERT INTO notes VALUES ($$second$$);');

    await cli('apps', 'restart', APPS.pg, '--wait');
    expect(await rows()).toBe('first,second');

    // The user edits the spec and deploys, then rolls back to the first version: the data stays as it is.
    const spec = path.join(dir, 'app.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('value: v1', 'value: v2'));
    await cli('apps', 'deploy', APPS.pg, '--wait');
    expect((await serviceEnv(await latest(APPS.pg))).VERSION).toBe('v2');
    await psql(APPS.pg, url, 'INSERT INTO notes VALUES ($$third$$);');
    await cli('apps', 'rollback', APPS.pg, '--deployment', first.id, '--skip-pin', '--wait');
    const back = await latest(APPS.pg);
    expect((await serviceEnv(back)).VERSION).toBe('v1');
    expect(await rows()).toBe('first,second,third');

    await cli('apps', 'clear-deployments', APPS.pg);
    expect(await rows()).toBe('first,second,third');

    const listed = await cli('apps', 'get', APPS.pg);
    expect(listed).toMatch(/db\s+PG 15\s+healthy\s+slipway-dbt-pg-db-data/);

    // The password is in no file of the data folder, no log, no label, and not in `apps get -o json`.
    const password = creds.password;
    for (const file of await filesUnder(scratch.data())) {
      expect((await readFile(file)).includes(password), `${file} holds the password`).toBe(false);
    }
    const logs = await cli('apps', 'logs', APPS.pg, '--type', 'deploy', '--deployment', first.id);
    expect(logs).toContain('db is healthy');
    expect(logs).not.toContain(password);
    expect(await cli('apps', 'get', APPS.pg, '-o', 'json')).not.toContain(password);
    for (const c of await docker.listContainers({ all: true, filters: { label: [`dev.slipway.app=${APPS.pg}`] } })) {
      expect(JSON.stringify((await docker.getContainer(c.Id).inspect()).Config.Labels)).not.toContain(password);
      expect(JSON.stringify((await docker.getContainer(c.Id).inspect()).Config.Cmd)).not.toContain(password);
    }
    const { Volumes } = await docker.listVolumes({ filters: { label: [`dev.slipway.app=${APPS.pg}`] } });
    expect(Volumes.map((v) => v.Name)).toEqual(['slipway-dbt-pg-db-data']);
    expect(JSON.stringify(Volumes)).not.toContain(password);

    // A new major version cannot open the data: refused, naming what to do, and the app keeps serving.
    await writeFile(spec, (await readFile(spec, 'utf8')).replace("version: '15'", "version: '16'"));
    const refused = await runSlipway(scratch.data(), ['apps', 'deploy', APPS.pg, '--wait']);
    expect(refused.code).not.toBe(0);
    const [failed] = JSON.parse(await cli('apps', 'list-deployments', APPS.pg, '-o', 'json')) as Deployment[];
    expect(failed?.error).toMatchObject({ code: 'DATABASE_CHANGE_REFUSED' });
    expect(failed?.error?.message).toContain('holds PG 15 data on slipway-dbt-pg-db-data');
    expect((await serviceEnv(back)).VERSION).toBe('v1');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace("version: '16'", "version: '15'"));

    // Deleted, the app's data stays (and it says so); created again, the app finds it and logs in.
    const deleted = await cli('apps', 'delete', APPS.pg);
    expect(deleted).toContain('Kept its data on slipway-dbt-pg-db-data');
    expect(await docker.listContainers({ all: true, filters: { label: [`dev.slipway.app=${APPS.pg}`] } })).toEqual([]);
    await docker.getVolume('slipway-dbt-pg-db-data').inspect();
    await cli('apps', 'create', '--spec', dir);
    await cli('apps', 'deploy', APPS.pg, '--wait');
    const again = (await serviceEnv(await latest(APPS.pg))).DATABASE_URL!;
    expect(again).toBe(url);
    expect(await rows()).toBe('first,second,third');

    const gone = await cli('apps', 'delete', APPS.pg, '--delete-data');
    expect(gone).toContain('Deleted its data: slipway-dbt-pg-db-data');
    expect((await docker.listVolumes({ filters: { label: [`dev.slipway.app=${APPS.pg}`] } })).Volumes).toEqual([]);
    // Nothing of anyone else's was touched.
    await docker.getVolume(BYSTANDER).inspect();
  });

  it('binds ${cache.REDIS_URL}; what is stored survives a redeploy', async () => {
    const dir = await fixture('redis-app', APPS.redis);
    await cli('apps', 'create', '--spec', dir);
    await cli('apps', 'deploy', APPS.redis, '--wait');
    const url = (await serviceEnv(await latest(APPS.redis))).REDIS_URL!;
    expect(url).toMatch(/^redis:\/\/default:[A-Za-z0-9_-]{32}@cache:6379\/0$/);
    const redis = (...args: string[]) =>
      onAppNetwork(APPS.redis, 'redis:7', 'redis-cli', ['--no-auth-warning', '-u', url, ...args]);
    expect(await redis('SET', 'greeting', 'hello')).toBe('OK');
    await cli('apps', 'redeploy', APPS.redis, '--wait');
    expect(await redis('GET', 'greeting')).toBe('hello');
    // Dropped from the spec, the cache's container goes and its data stays; declared again, it comes back with it.
    const spec = path.join(dir, 'app.yaml');
    const withCache = await readFile(spec, 'utf8');
    await writeFile(
      spec,
      withCache.replace(/^databases:[\s\S]*?(?=^services:)/m, '').replace(/^ {4}envs:[\s\S]*$/m, ''),
    );
    await cli('apps', 'deploy', APPS.redis, '--wait');
    // Live first; what the new version no longer needs goes after, as the previous version's containers do.
    await eventually(async () => (await latest(APPS.redis)).finishedAt);
    const label = { label: [`dev.slipway.app=${APPS.redis}`, 'dev.slipway.database'] };
    expect(await docker.listContainers({ all: true, filters: label })).toEqual([]);
    expect((await docker.listVolumes({ filters: label })).Volumes.map((v) => v.Name)).toEqual([
      'slipway-dbt-redis-cache-data',
    ]);
    const dropped = await cli('apps', 'logs', APPS.redis, '--type', 'deploy');
    expect(dropped).toContain(
      'cache is no longer in the spec: its container is removed, its data stays on slipway-dbt-redis-cache-data',
    );
    await writeFile(spec, withCache);
    await cli('apps', 'deploy', APPS.redis, '--wait');
    expect(await redis('GET', 'greeting')).toBe('hello');
    // Without the password, the cache refuses.
    const refused = await onAppNetwork(APPS.redis, 'redis:7', 'sh', ['-c', 'redis-cli -h cache GET greeting; true']);
    expect(refused).toMatch(/NOAUTH/);
  });

  it('refuses a spec that binds a database it does not declare, naming it', async () => {
    const dir = await fixture('pg-app', 'dbt-undeclared');
    const spec = path.join(dir, 'app.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('${db.DATABASE_URL}', '${maindb.DATABASE_URL}'));
    const run = await runSlipway(scratch.data(), ['apps', 'spec', 'validate', spec]);
    expect(run.code).toBe(1);
    expect(run.out + run.err).toContain('${maindb.DATABASE_URL} refers to maindb, which the spec does not declare');
  });
});
