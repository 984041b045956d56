import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/contract';
import { SlipwayError } from '../../src/shared/errors';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import type { AppSummary } from '../../src/shared/domains/apps';
import Docker from 'dockerode';
import { removeSlipwayResources } from '../support/cleanup';
import { localHostAtSocket } from '../support/local-docker';
import { deployAndWait, eventually, helloCopy, stopEdgeProcess, waitForDeployment } from '../support/deploy-fixtures';

const APP = 'itest-docker-down';

/** The engine this test run started (or found): what "Docker starts" points the dead socket at. */
const REAL_SOCKET = process.env.DOCKER_HOST?.startsWith('unix://')
  ? process.env.DOCKER_HOST.slice('unix://'.length)
  : '/var/run/docker.sock';

/**
 * Docker Desktop not started yet is the first thing a desktop user meets: the
 * engine must open its state, list apps and say plainly that Docker does not
 * answer, never fail with an unexpected error; and once Docker starts, carry
 * on without being restarted.
 */
describe('the engine while no Docker engine answers', () => {
  let dir: string;
  let engine: Engine;
  let client: Client<typeof contract>;
  let socket: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slipway-docker-down-'));
    // Nothing listens here until the last test links it to a real engine.
    socket = path.join(dir, 'docker.sock');
    engine = createEngine({ dataDir: path.join(dir, 'data'), localHost: localHostAtSocket(socket) });
    client = createClient(contract, inProcessTransport(engine.router));
  });

  afterAll(async () => {
    await client.apps.delete({ app: APP }).catch(() => undefined);
    await removeSlipwayResources(new Docker({ socketPath: REAL_SOCKET }), { app: APP });
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

  it('carries on when Docker starts: reconciles, tells the app, and deploys, without a restart', async () => {
    const summaries: AppSummary[] = [];
    const stop = await client.apps.events({ app: APP }, (event) => {
      if (event.type === 'app') summaries.push(event.app);
    });
    await symlink(REAL_SOCKET, socket);
    // The last deployment failed and nothing is live: now that Docker answers, that is what the app says.
    await eventually(async () => summaries.find((s) => s.status === 'error'), 15_000);
    stop();
    expect((await client.apps.get({ app: APP })).status).toBe('error');
    const live = await deployAndWait(client, APP);
    expect(live.phase, JSON.stringify(live.error)).toBe('ACTIVE');
    expect((await client.apps.get({ app: APP })).status).toBe('live');
  });
});
