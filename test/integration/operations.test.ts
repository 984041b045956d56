import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/shared/deployment';
import { SlipwayError } from '../../src/shared/errors';
import { LABELS } from '../../src/shared/labels';
import { createdLayer } from '../../src/main/engine/docker/build-layers';
import { removeSlipwayResources } from '../support/cleanup';
import { leftoversOf } from '../support/engine-checks';
import {
  deployAndWait,
  engineWithClient,
  eventually,
  httpGet,
  scratchDir,
  stopEdgeProcess,
  waitForDeployment,
  writeSiteApp,
} from '../support/deploy-fixtures';

const docker = new Docker();
const APPS = ['ops-restart', 'ops-rollback', 'ops-cancel', 'ops-queue-a', 'ops-queue-b', 'ops-kill-a', 'ops-kill-b'];

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let ctx: ReturnType<typeof engineWithClient>;
const dataDir = () => path.join(scratch.dir, 'data');

beforeAll(async () => {
  scratch = await scratchDir('ops');
  ctx = engineWithClient(dataDir());
});

afterAll(async () => {
  for (const app of APPS) await ctx.client.apps.delete({ app }).catch(() => undefined);
  await ctx.engine.close();
  await stopEdgeProcess(dataDir());
  for (const app of APPS) await removeSlipwayResources(docker, { app });
  await scratch.remove();
});

const containersOf = async (app: string) =>
  (await docker.listContainers({ all: true, filters: { label: [`${LABELS.app}=${app}`] } })).map((c) => ({
    id: c.Id,
    component: c.Labels[LABELS.component]!,
    image: c.ImageID,
  }));

describe('restart', () => {
  const APP = 'ops-restart';
  let live: Deployment;

  beforeAll(async () => {
    const dir = await writeSiteApp(scratch.dir, {
      name: APP,
      services: [
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    instance_count: 2',
        '    health_check:',
        '      http_path: /',
        '      period_seconds: 1',
        '  - name: api',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    routes:',
        '      - path: /api',
      ].join('\n'),
    });
    await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml') });
    live = await deployAndWait(ctx.client, APP);
    expect(live.phase, JSON.stringify(live.error)).toBe('ACTIVE');
  });

  it('restarts only the named component, one instance at a time, without dropping a request', async () => {
    const before = await containersOf(APP);
    const url = live.endpoints.find((e) => e.component === 'web')!.url;
    let stop = false;
    const failures: string[] = [];
    let requests = 0;
    // A bounded request loop on loopback for the length of the restart (at most 2,000 requests or 60 s).
    const loop = (async () => {
      const deadline = Date.now() + 60_000;
      while (!stop && requests < 2000 && Date.now() < deadline) {
        requests++;
        const answer = await httpGet(url, 2000).catch((err: Error) => ({ status: 0, body: err.message }));
        if (answer.status !== 200) failures.push(`${answer.status} ${answer.body}`);
      }
    })();
    const restart = await ctx.client.apps.restart({ app: APP, components: ['web'] });
    const done = await waitForDeployment(ctx.client, APP, restart.id);
    stop = true;
    await loop;
    expect(done.phase, JSON.stringify(done.error)).toBe('ACTIVE');
    expect(done.cause).toBe('restart');
    expect(requests).toBeGreaterThan(10);
    expect(failures).toEqual([]);
    await ctx.engine.idle(APP);

    const after = await containersOf(APP);
    const web = (list: typeof before) => list.filter((c) => c.component === 'web');
    const api = (list: typeof before) => list.filter((c) => c.component === 'api');
    expect(web(after)).toHaveLength(2);
    expect(
      web(after)
        .map((c) => c.id)
        .filter((id) => web(before).some((b) => b.id === id)),
    ).toEqual([]);
    expect(new Set(web(after).map((c) => c.image))).toEqual(new Set(web(before).map((c) => c.image)));
    expect(api(after)).toEqual(api(before));
    expect(done.progress[0]!.status).toBe('SKIPPED');
    expect(await ctx.client.apps.readLogs({ app: APP, type: 'build', deployment: done.id })).toEqual([]);
  });

  it('tells what Docker says: a container stopped by hand makes the app degraded, then live again', async () => {
    const api = (await containersOf(APP)).find((c) => c.component === 'api')!;
    await docker.getContainer(api.id).stop({ t: 1 });
    await eventually(async () => (await ctx.client.apps.get({ app: APP })).status === 'degraded', 10_000);
    await docker.getContainer(api.id).start();
    await eventually(async () => (await ctx.client.apps.get({ app: APP })).status === 'live', 10_000);
  });

  it('refuses to restart a component the app does not run', async () => {
    const err = (await ctx.client.apps.restart({ app: APP, components: ['nope'] }).catch((e) => e)) as SlipwayError;
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain('nope');
  });
});

describe('rollback and retention', () => {
  const APP = 'ops-rollback';
  let dir: string;
  const versions: Deployment[] = [];

  const deployVersion = async (n: number) => {
    await writeFile(path.join(dir, 'site', 'index.html'), `rollback v${n}\n`);
    const spec = await import('node:fs/promises').then((fs) => fs.readFile(path.join(dir, 'app.yaml'), 'utf8'));
    await writeFile(
      path.join(dir, 'app.yaml'),
      spec.replace(/\n {4}envs:[\s\S]*$/, '\n').trimEnd() +
        `\n    envs:\n      - key: VERSION\n        value: "v${n}"\n`,
    );
    await ctx.client.apps.update({ app: APP, specPath: path.join(dir, 'app.yaml') });
    const d = await deployAndWait(ctx.client, APP);
    expect(d.phase, JSON.stringify(d.error)).toBe('ACTIVE');
    return d;
  };

  beforeAll(async () => {
    dir = await writeSiteApp(scratch.dir, { name: APP });
    await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml') });
    for (const n of [1, 2, 3]) versions.push(await deployVersion(n));
  });

  it('shows the diff and rolls back to v1 without building', async () => {
    const v1 = versions[0]!;
    const preview = await ctx.client.apps.rollbackPreview({ app: APP, deployment: v1.id });
    expect(preview.target).toBe(v1.id);
    expect(preview.diff).toContain('-        value: "v3"');
    expect(preview.diff).toContain('+        value: "v1"');
    expect(preview.summary.envKeys).toEqual({ added: [], removed: [], changed: ['web/VERSION'] });
    expect(preview.summary.images).toEqual([
      { component: 'web', current: versions[2]!.images.web!.id, target: v1.images.web!.id },
    ]);

    // Not pinned: the next test deploys this app again.
    const rollback = await ctx.client.apps.rollback({ app: APP, deployment: v1.id, skipPin: true });
    const done = await waitForDeployment(ctx.client, APP, rollback.id);
    expect(done.phase, JSON.stringify(done.error)).toBe('ACTIVE');
    expect(done.cause).toBe(`rollback to ${v1.id}`);
    expect(done.images.web).toMatchObject({ id: v1.images.web!.id, built: false });
    expect(done.progress[0]!.steps!.every((s) => s.status === 'SKIPPED')).toBe(true);
    expect(await ctx.client.apps.readLogs({ app: APP, type: 'build', deployment: done.id })).toEqual([]);
    expect((await httpGet(done.endpoints[0]!.url)).body).toBe('rollback v1\n');
  });

  it('keeps exactly ten rollback images after twelve deploys, never touching what is not labelled', async () => {
    const outsider = await docker.createContainer({
      Image: 'busybox:stable',
      Cmd: ['true'],
      name: `ops-outsider-${Date.now()}`,
    });
    await docker.getImage('busybox:stable').tag({ repo: 'ops-outsider/image', tag: 'keep' });
    try {
      while (versions.length < 12) versions.push(await deployVersion(versions.length + 1));
      await ctx.engine.idle(APP);
      const tags = (await docker.listImages({ filters: { reference: [`slipway/${APP}-web`] } })).flatMap(
        (i) => i.RepoTags ?? [],
      );
      const successful = (await ctx.client.apps.listDeployments({ app: APP })).filter((d) =>
        ['ACTIVE', 'SUPERSEDED'].includes(d.phase),
      );
      const retained = successful.slice(0, 10);
      expect(tags.sort()).toEqual(retained.map((d) => d.images.web!.tag).sort());
      expect((await ctx.client.apps.rollbackTargets({ app: APP })).map((d) => d.id)).toEqual(
        retained.slice(1).map((d) => d.id),
      );

      const pruned = versions[1]!;
      const err = (await ctx.client.apps.rollback({ app: APP, deployment: pruned.id }).catch((e) => e)) as SlipwayError;
      expect(err).toBeInstanceOf(SlipwayError);
      expect(err.code).toBe('ROLLBACK_UNAVAILABLE');
      expect(err.message).toContain('10 most recent successful deployments');

      expect((await docker.getContainer(outsider.id).inspect()).Id).toBe(outsider.id);
      expect((await docker.getImage('ops-outsider/image:keep').inspect()).RepoTags).toContain(
        'ops-outsider/image:keep',
      );

      const cleared = await ctx.client.apps.clearDeployments({ app: APP });
      expect(cleared.removed.length).toBeGreaterThan(0);
      const left = (await ctx.client.apps.listDeployments({ app: APP })).map((d) => d.id);
      expect(left.sort()).toEqual(retained.map((d) => d.id).sort());
    } finally {
      await outsider.remove({ force: true });
      await docker.getImage('ops-outsider/image:keep').remove();
    }
  });
});

describe('cancel', () => {
  const APP = 'ops-cancel';
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = await writeSiteApp(scratch.dir, { name: APP, page: 'cancel v1\n' });
    await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml') });
    const v1 = await deployAndWait(ctx.client, APP);
    url = v1.endpoints[0]!.url;
    await ctx.engine.idle(APP);
  });

  /** What a deployment's build made, read from its log: the step containers and the layers it committed. */
  const madeBy = async (deployment: string) => {
    const lines = (await ctx.client.apps.readLogs({ app: APP, type: 'build', deployment })).map((l) => l.line);
    const containers = lines.flatMap((line) => /^ ---> Running in ([0-9a-f]{12})$/.exec(line.trimEnd())?.[1] ?? []);
    const layers = lines.flatMap((line, i) => createdLayer(lines[i - 1] ?? '', line) ?? []);
    return { containers, layers };
  };
  const exists = (inspect: () => Promise<unknown>) =>
    inspect().then(
      () => true,
      () => false,
    );

  it('cancels a slow build within 5 seconds and leaves nothing behind', async () => {
    await writeFile(
      path.join(dir, 'Dockerfile'),
      'FROM busybox:stable\nRUN echo one > /one\nRUN sleep 60\nCOPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    );
    const queued = await ctx.client.apps.deploy({ app: APP, forceRebuild: true, clearCache: true });
    await eventually(async () =>
      (await ctx.client.apps.readLogs({ app: APP, type: 'build', deployment: queued.id })).some((l) =>
        l.line.includes('RUN sleep 60'),
      ),
    );
    const started = Date.now();
    const canceled = await ctx.client.apps.cancel({ app: APP, by: 'integration-test' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(canceled).toMatchObject({ id: queued.id, phase: 'CANCELED', canceled: { by: 'integration-test' } });
    expect((await httpGet(url)).body).toBe('cancel v1\n');
    // The layer of `RUN echo one` and the container of `RUN sleep 60`, named in the log, are gone.
    const made = await madeBy(queued.id);
    expect(made.layers).toHaveLength(1);
    expect(made.containers.length).toBeGreaterThan(0);
    await eventually(async () => {
      for (const id of made.containers) if (await exists(() => docker.getContainer(id).inspect())) return false;
      for (const id of made.layers) if (await exists(() => docker.getImage(id).inspect())) return false;
      return true;
    }, 5000);
    expect(await leftoversOf(docker, APP, queued.id)).toEqual({ containers: [], images: [] });
  });

  it('cancels during the health-check wait and leaves nothing behind', async () => {
    await writeFile(
      path.join(dir, 'Dockerfile'),
      'FROM busybox:stable\nCOPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    );
    const specPath = path.join(dir, 'app.yaml');
    const original = await import('node:fs/promises').then((fs) => fs.readFile(specPath, 'utf8'));
    await writeFile(
      specPath,
      original.replace('http_path: /', 'http_path: /never\n      period_seconds: 1\n      failure_threshold: 50'),
    );
    await ctx.client.apps.update({ app: APP, specPath });
    const queued = await ctx.client.apps.deploy({ app: APP });
    await eventually(async () => {
      const d = await ctx.client.apps.getDeployment({ app: APP, deployment: queued.id });
      if (d.finishedAt) throw new Error(`the deployment ended before its health check: ${JSON.stringify(d.error)}`);
      const web = d.progress[1]!.steps!.find((s) => s.name === 'deploy.web');
      return web?.steps?.find((s) => s.name === 'deploy.web.wait')?.status === 'RUNNING';
    });
    const started = Date.now();
    const canceled = await ctx.client.apps.cancel({ app: APP, by: 'integration-test' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(canceled.phase).toBe('CANCELED');
    expect(
      await docker.listContainers({ all: true, filters: { label: [`${LABELS.deployment}=${queued.id}`] } }),
    ).toEqual([]);
    expect((await httpGet(url)).body).toBe('cancel v1\n');
    await writeFile(specPath, original);
    await ctx.client.apps.update({ app: APP, specPath });
  });

  it('says so when there is nothing to cancel', async () => {
    const err = (await ctx.client.apps.cancel({ app: APP, by: 'integration-test' }).catch((e) => e)) as SlipwayError;
    expect(err.code).toBe('NOTHING_RUNNING');
  });
});

describe('the queue', () => {
  it('runs three deploys of one app in order, two apps at once, and cleans the queue', async () => {
    for (const app of ['ops-queue-a', 'ops-queue-b']) {
      const dir = await writeSiteApp(scratch.dir, {
        name: app,
        dockerfile:
          'FROM busybox:stable\nCOPY site/ /www/\nRUN sleep 1\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
      });
      await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml') });
    }
    const force = { forceRebuild: true, clearCache: true };
    const a = await Promise.all([1, 2, 3].map(() => ctx.client.apps.deploy({ app: 'ops-queue-a', ...force })));
    const b = await ctx.client.apps.deploy({ app: 'ops-queue-b', ...force });
    const queue = await ctx.client.apps.queue({ app: 'ops-queue-a' });
    expect(queue.running?.id).toBe(a[0]!.id);
    expect(queue.waiting.map((d) => d.id)).toEqual([a[1]!.id, a[2]!.id]);

    await Promise.all([...a, b].map((d) => waitForDeployment(ctx.client, d.app, d.id)));
    await Promise.all(['ops-queue-a', 'ops-queue-b'].map((app) => ctx.engine.idle(app)));
    const done = await Promise.all(
      [...a, b].map((d) => ctx.client.apps.getDeployment({ app: d.app, deployment: d.id })),
    );
    expect(done.map((d) => d.phase)).toEqual(['SUPERSEDED', 'SUPERSEDED', 'ACTIVE', 'ACTIVE']);
    const span = (d: Deployment) => {
      const build = d.progress[0]!;
      return [Date.parse(build.startedAt!), Date.parse(d.finishedAt!)] as const;
    };
    const [a1, a2, a3, b1] = done.map(span);
    expect(a1![1]).toBeLessThanOrEqual(a2![0]);
    expect(a2![1]).toBeLessThanOrEqual(a3![0]);
    // The other app's deploy ran while the first app's first one did.
    expect(b1![0]).toBeLessThan(a1![1]);

    const again = await Promise.all([1, 2, 3].map(() => ctx.client.apps.deploy({ app: 'ops-queue-a', ...force })));
    const cleaned = await ctx.client.apps.cleanQueue({ app: 'ops-queue-a', by: 'integration-test' });
    expect(cleaned.dropped).toEqual([again[1]!.id, again[2]!.id]);
    const first = await waitForDeployment(ctx.client, 'ops-queue-a', again[0]!.id);
    expect(first.phase).toBe('ACTIVE');
    for (const id of cleaned.dropped) {
      expect(await ctx.client.apps.getDeployment({ app: 'ops-queue-a', deployment: id })).toMatchObject({
        phase: 'DROPPED',
        dropped: { by: 'integration-test' },
      });
    }
  });
});

describe('kill build', () => {
  it("kills one app's build and leaves another app's build running", async () => {
    const slow =
      'FROM busybox:stable\nCOPY site/ /www/\nRUN sleep 4\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n';
    for (const app of ['ops-kill-a', 'ops-kill-b']) {
      const dir = await writeSiteApp(scratch.dir, { name: app, dockerfile: slow });
      await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml') });
    }
    const a = await ctx.client.apps.deploy({ app: 'ops-kill-a', forceRebuild: true, clearCache: true });
    const b = await ctx.client.apps.deploy({ app: 'ops-kill-b', forceRebuild: true, clearCache: true });
    for (const d of [a, b]) {
      await eventually(async () =>
        (await ctx.client.apps.readLogs({ app: d.app, type: 'build', deployment: d.id })).some((l) =>
          l.line.includes('RUN sleep 4'),
        ),
      );
    }
    const killed = await ctx.client.apps.killBuild({ app: 'ops-kill-a', by: 'integration-test' });
    expect(killed).toMatchObject({ phase: 'ERROR', error: { code: 'BUILD_KILLED' } });
    const other = await waitForDeployment(ctx.client, 'ops-kill-b', b.id);
    expect(other.phase, JSON.stringify(other.error)).toBe('ACTIVE');
  });
});
