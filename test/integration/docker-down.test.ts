import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/contract';
import { SlipwayError } from '../../src/shared/errors';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import { localDockerHost } from '../../src/main/engine/hosts/local-docker-host';
import { helloCopy, stopEdgeProcess, waitForDeployment } from '../support/deploy-fixtures';

const APP = 'itest-docker-down';

/**
 * Docker Desktop not started yet is the first thing a desktop user meets: the
 * engine must open its state, list apps and say plainly that Docker does not
 * answer, never fail with an unexpected error.
 */
describe('the engine while no Docker engine answers', () => {
  let dir: string;
  let engine: Engine;
  let client: Client<typeof contract>;
  const socket = '/nonexistent/slipway-test/docker.sock';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slipway-docker-down-'));
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${socket}`;
    const localHost = localDockerHost();
    if (previous === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previous;
    engine = createEngine({ dataDir: path.join(dir, 'data'), localHost });
    client = createClient(contract, inProcessTransport(engine.router));
  });

  afterAll(async () => {
    await engine.close();
    await stopEdgeProcess(path.join(dir, 'data'));
    await rm(dir, { recursive: true, force: true });
  });

  it('creates and lists apps: the state opens without Docker', async () => {
    const source = await helloCopy(dir, APP);
    const created = await client.apps.create({ specPath: path.join(source, 'app.yaml') });
    expect(created.name).toBe(APP);
    expect((await client.apps.list()).map((a) => [a.name, a.status])).toEqual([[APP, 'new']]);
  });

  it('ends a deployment ERROR with DOCKER_UNREACHABLE and a reason that says what to do', async () => {
    const queued = await client.apps.deploy({ app: APP });
    const done = await waitForDeployment(client, APP, queued.id);
    expect(done.phase).toBe('ERROR');
    expect(done.error?.code).toBe('DOCKER_UNREACHABLE');
    expect(done.error?.message).toContain('does not answer');
    expect(done.error?.message).toContain('Start it');
    const app = await client.apps.get({ app: APP });
    expect(app.failedDeployment?.message).toBe(done.error?.message);
    // What runs on an engine that does not answer is not known, and the status says so.
    expect(app.status).toBe('unreachable');
  });

  it('answers a call that needs Docker with DOCKER_UNREACHABLE naming the socket, not INTERNAL', async () => {
    const err = await client.apps.delete({ app: APP }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlipwayError);
    expect((err as SlipwayError).code).toBe('DOCKER_UNREACHABLE');
    expect((err as SlipwayError).message).toContain(socket);
  });
});
