import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/shared/deployment';
import { LABELS } from '../../src/shared/labels';
import { removeSlipwayResources } from '../support/cleanup';
import {
  deployAndWait,
  engineWithClient,
  helloCopy,
  httpGet,
  scratchDir,
  setPageVersion,
  waitForDeployment,
  stopEdgeProcess,
} from '../support/deploy-fixtures';

const docker = new Docker();
const APP = 'itest-hello';
const TWIN = 'itest-twin';

describe('deploying examples/hello on the local engine', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let ctx: ReturnType<typeof engineWithClient>;
  let appDir: string;
  let url: string;

  beforeAll(async () => {
    scratch = await scratchDir('deploy');
    appDir = await helloCopy(scratch.dir, APP);
    ctx = engineWithClient(path.join(scratch.dir, 'data'));
    await ctx.client.apps.create({ specPath: path.join(appDir, 'app.yaml') });
  });

  afterAll(async () => {
    for (const app of [APP, TWIN]) await ctx.client.apps.delete({ app }).catch(() => undefined);
    await ctx.engine.close();
    await stopEdgeProcess(path.join(scratch.dir, 'data'));
    for (const app of [APP, TWIN]) await removeSlipwayResources(docker, { app });
    await scratch.remove();
  });

  it('deploys v1 and answers with its page', async () => {
    const d = await deployAndWait(ctx.client, APP);
    expect(d.phase, JSON.stringify(d.error)).toBe('ACTIVE');
    expect(d.images.web).toMatchObject({ tag: `slipway/${APP}-web:${d.id}`, built: true });
    url = d.endpoints[0]!.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await httpGet(url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<span id="version">v1</span>');
    const containers = await docker.listContainers({ filters: { label: [`${LABELS.deployment}=${d.id}`] } });
    expect(containers).toHaveLength(1);
    expect(containers[0]!.Labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.app]: APP,
      [LABELS.component]: 'web',
    });
    const image = await docker.getImage(d.images.web!.tag).inspect();
    expect(image.Config.Labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.app]: APP,
      [LABELS.component]: 'web',
    });
    expect(image.RepoTags).toContain(`slipway/${APP}-web:${d.id}`);
  });

  it('deploys an edited page as v2 at the same URL and supersedes v1', async () => {
    const [v1] = await ctx.client.apps.listDeployments({ app: APP });
    await setPageVersion(appDir, 'v2');
    const v2 = await deployAndWait(ctx.client, APP);
    expect(v2.phase).toBe('ACTIVE');
    expect(v2.endpoints[0]!.url).toBe(url);
    expect((await httpGet(url)).body).toContain('<span id="version">v2</span>');
    expect((await ctx.client.apps.getDeployment({ app: APP, deployment: v1!.id })).phase).toBe('SUPERSEDED');
    // v1 drains after the switch; once the app is idle, nothing of it remains.
    await ctx.engine.idle(APP);
    expect((await ctx.client.apps.getDeployment({ app: APP, deployment: v2.id })).progress[1]!.status).toBe('SUCCESS');
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.deployment}=${v1!.id}`] } });
    expect(left).toHaveLength(0);
  });

  it('redeploys: builds the same source again', async () => {
    const d = await deployAndWait(ctx.client, APP, { source: 'same-revision' });
    expect(d.phase).toBe('ACTIVE');
    expect(d.cause).toBe('redeploy');
    expect(d.images.web!.built).toBe(true);
    const build = await ctx.client.apps.readLogs({ app: APP, type: 'build', deployment: d.id });
    expect(build.some((l) => l.line.startsWith('Step 1/'))).toBe(true);
  });

  it('force rebuild with clear cache takes no layer from the cache', async () => {
    const warm = await ctx.client.apps.readLogs({ app: APP, type: 'build' });
    expect(warm.some((l) => l.line.includes('Using cache'))).toBe(true);
    const d = await deployAndWait(ctx.client, APP, { forceRebuild: true, clearCache: true });
    expect(d.phase).toBe('ACTIVE');
    expect(d.cause).toBe('force rebuild');
    const build = await ctx.client.apps.readLogs({ app: APP, type: 'build', deployment: d.id });
    expect(build.some((l) => l.line.startsWith('Step 2/'))).toBe(true);
    expect(build.filter((l) => l.line.includes('Using cache'))).toEqual([]);
  });

  it('streams build logs while the build runs and keeps them in the file', async () => {
    const dockerfile = path.join(appDir, 'Dockerfile');
    const original = await readFile(dockerfile, 'utf8');
    // A step that takes a while, so that "before the build ends" means something.
    await writeFile(
      dockerfile,
      original.replace('COPY site/', 'RUN echo building && sleep 2 && echo built\nCOPY site/'),
    );
    const batches: Array<{ at: number; lines: LogLine[] }> = [];
    const stop = await ctx.client.apps.followLogs({ app: APP, type: 'build' }, (lines) =>
      batches.push({ at: Date.now(), lines }),
    );
    const queued = await ctx.client.apps.deploy({ app: APP, forceRebuild: true, clearCache: true });
    const d = await waitForDeployment(ctx.client, APP, queued.id);
    stop();
    await writeFile(dockerfile, original);
    expect(d.phase).toBe('ACTIVE');
    const buildStep = d.progress[0]!.steps!.find((s) => s.name === 'build.web')!;
    expect(batches.length).toBeGreaterThan(1);
    // `building` is printed two seconds before the step (and the build) can end.
    const early = batches.find((b) => b.lines.some((l) => l.line === 'building'))!;
    expect(early.at).toBeLessThan(Date.parse(buildStep.endedAt!) - 1000);
    const stored = await ctx.client.apps.readLogs({ app: APP, type: 'build', deployment: d.id });
    expect(stored.map((l) => l.line)).toEqual(batches.flatMap((b) => b.lines.map((l) => l.line)));
    expect(stored.some((l) => l.line === 'built')).toBe(true);
    const files = await readdir(path.join(scratch.dir, 'data', 'logs', APP));
    expect(files).toContain(`${d.id}.jsonl`);
  });

  it('a failing build ends ERROR with the reason; the previous version still answers and nothing is left', async () => {
    const live = (await ctx.client.apps.get({ app: APP })).liveDeployment!;
    await writeFile(path.join(appDir, 'Dockerfile'), 'FROM busybox:stable\nRUN exit 3\n');
    const d = await deployAndWait(ctx.client, APP);
    expect(d.phase).toBe('ERROR');
    expect(d.error?.code).toBe('BUILD_FAILED');
    expect(d.error?.message).toContain('returned a non-zero code: 3');
    expect(d.progress[0]!.steps!.find((s) => s.name === 'build.web')).toMatchObject({ status: 'ERROR' });
    expect((await httpGet(url)).body).toContain('v2');
    const summary = await ctx.client.apps.get({ app: APP });
    expect(summary.liveDeployment!.id).toBe(live.id);
    expect(summary.status).toBe('live');
    expect(summary.failedDeployment).toEqual({
      id: d.id,
      cause: d.cause,
      createdAt: d.createdAt,
      message: d.error!.message,
    });
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.deployment}=${d.id}`] } });
    expect(left).toHaveLength(0);
  });

  it('a health check that never passes ends ERROR; the previous version still answers and nothing is left', async () => {
    await writeFile(
      path.join(appDir, 'Dockerfile'),
      'FROM busybox:stable\nCOPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    );
    const spec = path.join(appDir, 'app.yaml');
    const original = await readFile(spec, 'utf8');
    await writeFile(
      spec,
      original.replace('http_path: /', 'http_path: /missing').replace('failure_threshold: 5', 'failure_threshold: 2'),
    );
    await ctx.client.apps.update({ app: APP, specPath: spec });
    const d = await deployAndWait(ctx.client, APP);
    expect(d.phase).toBe('ERROR');
    expect(d.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(d.error?.message).toContain('/missing');
    expect((await httpGet(url)).body).toContain('v2');
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.deployment}=${d.id}`] } });
    expect(left).toHaveLength(0);
    await writeFile(spec, original);
    await ctx.client.apps.update({ app: APP, specPath: spec });
  });

  it('runs two healthy containers for instance_count: 2', async () => {
    const dir = await helloCopy(scratch.dir, TWIN);
    const spec = path.join(dir, 'app.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace('instance_count: 1', 'instance_count: 2'));
    await ctx.client.apps.create({ specPath: spec });
    const d = await deployAndWait(ctx.client, TWIN);
    expect(d.phase, JSON.stringify(d.error)).toBe('ACTIVE');
    expect(d.containers.web).toHaveLength(2);
    for (const id of d.containers.web!) expect((await docker.getContainer(id).inspect()).State.Running).toBe(true);
    const answers = await Promise.all([1, 2, 3, 4].map(() => httpGet(d.endpoints[0]!.url)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it('keeps every app and deployment record across an engine restart', async () => {
    const before = await ctx.client.apps.listDeployments({ app: APP });
    await ctx.engine.close();
    ctx = engineWithClient(path.join(scratch.dir, 'data'));
    expect((await ctx.client.apps.list()).map((a) => a.name).sort()).toEqual([APP, TWIN]);
    const after = await ctx.client.apps.listDeployments({ app: APP });
    expect(after.map((d) => [d.id, d.phase])).toEqual(before.map((d) => [d.id, d.phase]));
    expect((await httpGet(url)).body).toContain('v2');
  });
});
