import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/main/engine/edge/free-port';
import { removeSlipwayResources } from '../support/cleanup';
import { deployAndWait, engineWithClient, httpGet, scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';

const docker = new Docker();
const APP = 'itest-parts';
const PWNED = `/tmp/slipway-pwned-${process.pid}`;

describe('an app with a service, a worker and a pre-deploy job', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let ctx: ReturnType<typeof engineWithClient>;
  let fixedPort: number;

  beforeAll(async () => {
    scratch = await scratchDir('parts');
    const dir = path.join(scratch.dir, 'app');
    await mkdir(path.join(dir, 'site'), { recursive: true });
    await writeFile(path.join(dir, 'site', 'index.html'), 'parts v1\n');
    // The image's own HEALTHCHECK, and no health_check in the spec.
    await writeFile(
      path.join(dir, 'Dockerfile'),
      [
        'FROM busybox:stable',
        'COPY site/ /www/',
        'HEALTHCHECK --interval=1s --timeout=1s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1',
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'Dockerfile.worker'), 'FROM busybox:stable\nCMD ["sleep", "3600"]\n');
    await writeFile(
      path.join(dir, 'app.yaml'),
      [
        `name: ${APP}`,
        'services:',
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        'workers:',
        '  - name: poller',
        '    dockerfile_path: Dockerfile.worker',
        '    run_command: while true; do wget -q -O - "$API/" && sleep 1; done',
        '    envs:',
        '      - key: API',
        '        value: ${web.PRIVATE_URL}',
        'jobs:',
        '  - name: migrate',
        '    kind: PRE_DEPLOY',
        '    dockerfile_path: Dockerfile.worker',
        '    run_command: echo "migrating $APP_NAME_SEEN" && echo done',
        '    envs:',
        '      - key: APP_NAME_SEEN',
        '        value: ${APP_NAME}',
        // Hostile values reach the container as plain env values: no shell on this machine ever sees them.
        '      - key: HOSTILE',
        `        value: "$(touch ${PWNED}) \`touch ${PWNED}\`; touch ${PWNED}"`,
        '        scope: RUN_AND_BUILD_TIME',
        '',
      ].join('\n'),
    );
    fixedPort = await findFreePort();
    ctx = engineWithClient(path.join(scratch.dir, 'data'));
    await ctx.client.apps.create({ specPath: path.join(dir, 'app.yaml'), hostPorts: { web: fixedPort } });
  });

  afterAll(async () => {
    await ctx.client.apps.delete({ app: APP }).catch(() => undefined);
    await ctx.engine.close();
    await stopEdgeProcess(path.join(scratch.dir, 'data'));
    await removeSlipwayResources(docker, { app: APP });
    await scratch.remove();
  });

  it('runs the job first, waits on the image HEALTHCHECK and the worker, and serves the fixed port', async () => {
    const d = await deployAndWait(ctx.client, APP);
    expect(d.phase, JSON.stringify(d.error)).toBe('ACTIVE');
    expect(d.endpoints).toEqual([{ component: 'web', hostPort: fixedPort, url: `http://127.0.0.1:${fixedPort}` }]);
    expect((await httpGet(`http://127.0.0.1:${fixedPort}/`)).body).toBe('parts v1\n');

    const deployLog = await ctx.client.apps.readLogs({ app: APP, type: 'deploy', deployment: d.id });
    const text = deployLog.map((l) => `${l.component ?? '-'}: ${l.line}`);
    expect(text).toContain(`migrate: migrating ${APP}`);
    expect(text).toContain("web: Waiting for the image's HEALTHCHECK");
    expect(text).toContain('poller: Waiting for still running after 3 s');
    const order = ['deploy.job.migrate', 'deploy.web', 'deploy.poller'].map((name) =>
      d.progress[1]!.steps!.find((s) => s.name === name)!,
    );
    expect(order.every((s) => s.status === 'SUCCESS')).toBe(true);
    expect(Date.parse(order[0]!.endedAt!)).toBeLessThanOrEqual(Date.parse(order[1]!.startedAt!));
    // The job's container is gone; the service and the worker run.
    const containers = await docker.listContainers({ all: true, filters: { label: [`dev.slipway.app=${APP}`] } });
    expect(containers.map((c) => c.Labels['dev.slipway.component']).sort()).toEqual(['poller', 'web']);
  });

  it('never runs an env value as a command on this machine', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync(PWNED)).toBe(false);
    const job = (await ctx.client.apps.listDeployments({ app: APP }))[0]!;
    expect(job.phase).toBe('ACTIVE');
  });

  it('lets the worker reach the service by its private URL', async () => {
    const deadline = Date.now() + 10_000;
    let lines: string[] = [];
    while (Date.now() < deadline) {
      lines = (await ctx.client.apps.readLogs({ app: APP, type: 'run', component: 'poller' })).map((l) => l.line);
      if (lines.includes('parts v1')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(lines).toContain('parts v1');
  });
});
