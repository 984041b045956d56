import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/main/engine/edge/free-port';
import { edgeRoutesPath, writeJson, type EdgeRoutesFile } from '../../src/main/engine/edge/edge-files';
import { LABELS } from '../../src/shared/labels';
import { removeSlipwayResources } from '../support/cleanup';
import {
  deployAndWait,
  engineWithClient,
  httpGet,
  scratchDir,
  setPageVersion,
  stopEdgeProcess,
  writeSiteApp,
} from '../support/deploy-fixtures';

const docker = new Docker();
const APP = 'itest-golive';
const FIRST = 'itest-golive-first';
const LAYERS = 'itest-golive-layers';

const twoServices = [
  '  - name: web',
  '    dockerfile_path: Dockerfile',
  '    http_port: 8080',
  '  - name: api',
  '    dockerfile_path: Dockerfile',
  '    http_port: 8080',
].join('\n');

/** A program that holds a port on 127.0.0.1, as another app on the user's machine would. */
async function holdPort(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

async function routeKeysOnDisk(dataDir: string): Promise<string[]> {
  const file = JSON.parse(await readFile(path.join(dataDir, 'edge-routes.json'), 'utf8')) as EdgeRoutesFile;
  return file.routes.map((r) => r.key).sort();
}

describe('a deployment that fails at go-live', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let ctx: ReturnType<typeof engineWithClient>;
  let dataDir: string;
  const held: Server[] = [];

  beforeAll(async () => {
    scratch = await scratchDir('golive');
    dataDir = path.join(scratch.dir, 'data');
    ctx = engineWithClient(dataDir);
  });

  afterAll(async () => {
    for (const server of held) server.close();
    for (const app of [APP, FIRST, LAYERS]) await ctx.client.apps.delete({ app }).catch(() => undefined);
    await ctx.engine.close();
    await stopEdgeProcess(dataDir);
    for (const app of [APP, FIRST, LAYERS]) await removeSlipwayResources(docker, { app });
    await scratch.remove();
  });

  it('keeps the previous version serving on both URLs, with nothing restarted, when its second service cannot take its port', async () => {
    const dir = await writeSiteApp(scratch.dir, { name: APP, services: twoServices, page: 'golive v1\n' });
    await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml') });
    const v1 = await deployAndWait(ctx.client, APP);
    expect(v1.phase, JSON.stringify(v1.error)).toBe('ACTIVE');
    const urls = Object.fromEntries(v1.endpoints.map((e) => [e.component, e.url]));
    const startedAt = async () =>
      Object.fromEntries(
        await Promise.all(
          Object.values(v1.containers)
            .flat()
            .map(async (id) => [id, (await docker.getContainer(id).inspect()).State.StartedAt] as const),
        ),
      );
    const before = await startedAt();

    // The api service is moved to a port another program holds: web switches first, api cannot.
    const taken = await findFreePort();
    held.push(await holdPort(taken));
    await ctx.client.apps.update({ app: APP, specPath: path.join(dir, 'app.yaml'), hostPorts: { api: taken } });
    await setPageVersion(dir, 'golive v2');
    const v2 = await deployAndWait(ctx.client, APP);
    expect(v2.phase).toBe('ERROR');
    expect(v2.error?.message).toContain(`Port ${taken}`);

    for (const url of [urls.web!, urls.api!]) {
      expect(await httpGet(url)).toEqual({ status: 200, body: 'golive v1\n' });
    }
    expect(await startedAt()).toEqual(before);
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.deployment}=${v2.id}`] } });
    expect(left).toEqual([]);
    expect((await ctx.client.apps.get({ app: APP })).liveDeployment?.id).toBe(v1.id);
  });

  it('leaves no route behind for a first deployment that fails at go-live, and drops stale routes at start', async () => {
    const taken = await findFreePort();
    held.push(await holdPort(taken));
    const dir = await writeSiteApp(scratch.dir, { name: FIRST });
    await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml'), hostPorts: { web: taken } });
    const first = await deployAndWait(ctx.client, FIRST);
    expect(first.phase).toBe('ERROR');
    expect((await routeKeysOnDisk(dataDir)).filter((k) => k.startsWith(`${FIRST}/`))).toEqual([]);

    // A route left by an older Slipway for an app that is gone points at a port anyone may take next:
    // the next engine start removes it, and keeps the live app's routes.
    const file = JSON.parse(await readFile(path.join(dataDir, 'edge-routes.json'), 'utf8')) as EdgeRoutesFile;
    const stalePort = await findFreePort();
    await writeJson(edgeRoutesPath(dataDir), {
      version: file.version + 1,
      routes: [...file.routes, { key: 'itest-golive-gone/web', port: stalePort, upstreams: [await findFreePort()] }],
    } satisfies EdgeRoutesFile);
    await ctx.engine.close();
    ctx = engineWithClient(dataDir);
    await ctx.client.apps.list();
    await expect.poll(() => routeKeysOnDisk(dataDir), { timeout: 10_000 }).toEqual([`${APP}/api`, `${APP}/web`].sort());
  });

  it('removes the layers a failed build made, and never the base image', async () => {
    const dir = await writeSiteApp(scratch.dir, {
      name: LAYERS,
      dockerfile: `FROM busybox:stable\nRUN echo ${LAYERS}-${Date.now()} > /made-here\nRUN exit 3\n`,
    });
    await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml') });
    const failed = await deployAndWait(ctx.client, LAYERS);
    expect(failed.phase).toBe('ERROR');
    const lines = await ctx.client.apps.readLogs({ app: LAYERS, deployment: failed.id, type: 'build' });
    const text = lines.map((l) => l.line).join('\n');
    // The layer the first RUN committed is named in the log right after its step ran.
    const made = /Step 2\/\d+ : RUN[\s\S]*?\n ---> ([0-9a-f]{12})\n/.exec(text)?.[1];
    expect(made, text).toBeTruthy();
    const gone = await docker
      .getImage(made!)
      .inspect()
      .then(
        () => false,
        () => true,
      );
    expect(gone).toBe(true);
    expect((await docker.getImage('busybox:stable').inspect()).Id).toBeTruthy();
  });
});
