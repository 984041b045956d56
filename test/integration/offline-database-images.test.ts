// The offline postgres:15 and redis:7 images started the way Slipway starts database components:
// credentials from the environment, data on a named volume, clients on a user network.
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demuxLogs } from '../../scripts/lib/offline-image-check.mjs';
import { removeSlipwayResources } from '../support/cleanup';

const APP = 'offline-database-images-test';
const LABELS = { 'dev.slipway.managed': 'true', 'dev.slipway.app': APP };
const NETWORK = `slipway-${APP}`;
const READY_DEADLINE_MS = 60_000;
const POLL_INTERVAL_MS = 250;
const docker = new Docker();

interface Output {
  code: number;
  out: string;
}

/** Runs `cmd` in a running container (as its image's user, root) and collects what it printed. */
async function execIn(container: Docker.Container, cmd: string[], env: string[] = []): Promise<Output> {
  const exec = await container.exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await exec.inspect();
  return { code: ExitCode ?? -1, out: demuxLogs(Buffer.concat(chunks)).trim() };
}

/** Polls `cmd` in the container until it exits 0, failing with its last output after the deadline. */
async function waitUntil(container: Docker.Container, cmd: string[], env: string[] = []): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  let last: Output = { code: -1, out: '' };
  while (Date.now() < deadline) {
    last = await execIn(container, cmd, env);
    if (last.code === 0) return;
    const state = (await container.inspect()).State;
    if (!state.Running) throw new Error(`The container exited (${state.ExitCode}) before ${cmd.join(' ')} passed`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(`${cmd.join(' ')} still fails after ${READY_DEADLINE_MS} ms: ${last.out}`);
}

/** Starts a labelled server container on the test network, reachable as `alias`. */
async function startServer(options: {
  image: string;
  alias: string;
  env: string[];
  volume: string;
  mountPoint: string;
  cmd?: string[];
}): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: options.image,
    Cmd: options.cmd,
    Env: options.env,
    Labels: LABELS,
    HostConfig: { Binds: [`${options.volume}:${options.mountPoint}`], NetworkMode: NETWORK },
    NetworkingConfig: { EndpointsConfig: { [NETWORK]: { Aliases: [options.alias] } } },
  });
  await container.start();
  return container;
}

/** Stops the server as `docker stop` does (its stop signal, so it shuts down cleanly), then removes it. */
async function stopAndRemove(container: Docker.Container): Promise<void> {
  await container.stop({ t: 30 });
  await container.remove({ v: true });
}

/** Runs a one-off client container on the test network; returns its exit code and output. */
async function client(image: string, cmd: string[], env: string[] = []): Promise<Output> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Env: env,
    Labels: LABELS,
    HostConfig: { NetworkMode: NETWORK },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return { code: StatusCode, out: demuxLogs(Buffer.isBuffer(logs) ? logs : Buffer.from(logs)).trim() };
  } finally {
    await container.remove({ force: true, v: true });
  }
}

async function removeNetwork(): Promise<void> {
  await docker
    .getNetwork(NETWORK)
    .remove()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 404) throw err;
    });
}

beforeAll(async () => {
  await removeSlipwayResources(docker, { app: APP });
  await removeNetwork();
  await docker.createNetwork({ Name: NETWORK, Labels: LABELS });
});

afterAll(async () => {
  // Containers first: a network or volume still in use cannot go.
  await removeSlipwayResources(docker, { app: APP });
  await removeNetwork();
});

describe('the offline postgres:15 image', () => {
  const user = 'slipway_app';
  const password = 'pg secret with spaces';
  const db = 'orders';
  const env = [`POSTGRES_PASSWORD=${password}`, `POSTGRES_USER=${user}`, `POSTGRES_DB=${db}`];
  const volume = `${APP}-pgdata`;
  const ready = ['pg_isready', '-h', '127.0.0.1', '-U', user, '-d', db];
  const psql = (sql: string) => ['psql', '-v', 'ON_ERROR_STOP=1', '-U', user, '-d', db, '-tAc', sql];

  it('initialises from the environment, keeps its data on the volume and takes the password over TCP', async () => {
    await docker.createVolume({ Name: volume, Labels: LABELS });
    const first = await startServer({
      image: 'postgres:15',
      alias: 'db',
      env,
      volume,
      mountPoint: '/var/lib/postgresql/data',
    });
    await waitUntil(first, ready);
    expect((await execIn(first, psql('select 1'))).out).toBe('1');
    const created = await execIn(first, psql("create table notes (body text); insert into notes values ('kept')"));
    expect(created.code, created.out).toBe(0);
    // postgres is PID 1 and not root, so `docker stop` reaches it and nothing runs as root.
    expect((await execIn(first, ['sh', '-c', 'stat -c %u /proc/1 $PGDATA'])).out).toBe('999\n999');
    expect((await first.inspect()).Config.Cmd).toEqual(['postgres']);
    await stopAndRemove(first);

    const second = await startServer({
      image: 'postgres:15',
      alias: 'db',
      env,
      volume,
      mountPoint: '/var/lib/postgresql/data',
    });
    await waitUntil(second, ready);
    const logs = String(await second.logs({ stdout: true, stderr: true, follow: false }));
    expect(logs).not.toContain('init process complete');
    expect((await execIn(second, psql('select body from notes'))).out).toBe('kept');

    const url = (secret: string) => `postgresql://${user}:${encodeURIComponent(secret)}@db:5432/${db}`;
    const overTcp = await client('postgres:15', ['psql', url(password), '-tAc', 'select body from notes']);
    expect(overTcp, overTcp.out).toEqual({ code: 0, out: 'kept' });
    const wrong = await client('postgres:15', ['psql', url('not the password'), '-tAc', 'select 1']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toContain('password authentication failed');
    await stopAndRemove(second);
  });

  it('refuses to initialise without a password, with the official message', async () => {
    const refused = await client('postgres:15', ['postgres']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('superuser password is not specified');
  });
});

describe('the offline redis:7 image', () => {
  const password = 'redis secret';
  const env = [`REDIS_PASSWORD=${password}`];
  const auth = [`REDISCLI_AUTH=${password}`];
  const volume = `${APP}-redisdata`;
  // As Slipway starts it: the password comes from the environment, never the container's command.
  const cmd = ['sh', '-c', 'exec redis-server --appendonly yes --requirepass "$REDIS_PASSWORD"'];

  it('answers clients on the network with the password and keeps what it was told across a restart', async () => {
    await docker.createVolume({ Name: volume, Labels: LABELS });
    const first = await startServer({ image: 'redis:7', alias: 'cache', env, volume, mountPoint: '/data', cmd });
    await waitUntil(first, ['redis-cli', 'ping'], auth);
    expect(await client('redis:7', ['redis-cli', '-h', 'cache', 'ping'], auth)).toEqual({ code: 0, out: 'PONG' });
    const refused = await client('redis:7', ['redis-cli', '-h', 'cache', 'ping']);
    expect(refused.out).toContain('NOAUTH');
    expect((await execIn(first, ['redis-cli', 'set', 'greeting', 'kept'], auth)).out).toBe('OK');
    expect(JSON.stringify((await first.inspect()).Config.Cmd)).not.toContain(password);
    await stopAndRemove(first);

    const second = await startServer({ image: 'redis:7', alias: 'cache', env, volume, mountPoint: '/data', cmd });
    await waitUntil(second, ['redis-cli', 'ping'], auth);
    expect((await execIn(second, ['redis-cli', 'get', 'greeting'], auth)).out).toBe('kept');
    expect((await execIn(second, ['ls', '/data'])).out).toContain('appendonlydir');
    await stopAndRemove(second);
  });
});
