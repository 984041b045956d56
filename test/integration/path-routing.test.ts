import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSlipwayResources } from '../support/cleanup';
import { ensureBusyboxImage } from '../support/busybox-image';
import { deployAndWait, engineWithClient, httpGet, scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';

const docker = new Docker();
const APP = 'itest-paths';

function service(name: string): string[] {
  return [
    `  - name: ${name}`,
    '    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }',
    '    http_port: 8080',
    '    envs: [{ key: PUBLIC, value: "${_self.PUBLIC_URL}", scope: RUN_TIME }]',
    `    run_command: mkdir -p /www && echo paths-${name} > /www/index.html && echo "$PUBLIC" > /www/url.txt && exec httpd -f -p 8080 -h /www`,
  ];
}

/** The app with ingress rules sending `apiPrefix` to api and the rest to web. */
function spec(apiPrefix: string): string {
  return [
    `name: ${APP}`,
    'ingress:',
    '  rules:',
    '    - { component: { name: web }, match: { path: { prefix: / } } }',
    `    - { component: { name: api }, match: { path: { prefix: ${apiPrefix} } } }`,
    'services:',
    ...service('web'),
    ...service('api'),
    '',
  ].join('\n');
}

describe("one local URL for an app's components, routed by path", () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let ctx: ReturnType<typeof engineWithClient>;
  const data = () => path.join(scratch.dir, 'data');

  beforeAll(async () => {
    await ensureBusyboxImage(docker);
    scratch = await scratchDir('paths');
    ctx = engineWithClient(data());
  });

  afterAll(async () => {
    await ctx?.client.apps.delete({ app: APP }).catch(() => undefined);
    await ctx?.engine.close();
    await removeSlipwayResources(docker, { app: APP });
    if (scratch) await stopEdgeProcess(data());
    await scratch?.remove();
  });

  it('serves / and /api of one URL from web and api, also after the engine has gone and after the rules change', async () => {
    await ctx.client.apps.create({ specYaml: spec('/api') });
    const deployed = await deployAndWait(ctx.client, APP);
    expect(deployed.phase, JSON.stringify(deployed.error)).toBe('ACTIVE');
    const url = (await ctx.client.apps.get({ app: APP })).url!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpGet(`${url}/`)).body).toContain('paths-web');
    // The prefix is cut off before api sees the request, `/api` itself included; the query stays.
    expect((await httpGet(`${url}/api/`)).body).toContain('paths-api');
    expect((await httpGet(`${url}/api?x=1`)).body).toContain('paths-api');
    // `${_self.PUBLIC_URL}` is the app's URL with the component's path, as on DigitalOcean.
    expect((await httpGet(`${url}/api/url.txt`)).body.trim()).toBe(`${url}/api`);
    expect((await httpGet(`${url}/url.txt`)).body.trim()).toBe(url);
    // Each service keeps its own URL too.
    const api = (await ctx.client.apps.get({ app: APP })).components.find((c) => c.name === 'api')!;
    expect((await httpGet(`${api.url}/`)).body).toContain('paths-api');

    // The engine gone: the edge process keeps the app's URL answering.
    await ctx.engine.close();
    expect((await httpGet(`${url}/api/`)).body).toContain('paths-api');
    ctx = engineWithClient(data());

    // The user moves api to /v1: the same URL follows the new rules, and /api is web's now (a file it lacks).
    await ctx.client.apps.update({ app: APP, specYaml: spec('/v1') });
    const moved = await deployAndWait(ctx.client, APP);
    expect(moved.phase, JSON.stringify(moved.error)).toBe('ACTIVE');
    expect((await ctx.client.apps.get({ app: APP })).url).toBe(url);
    expect((await httpGet(`${url}/v1/`)).body).toContain('paths-api');
    expect((await httpGet(`${url}/api/`)).status).toBe(404);
    expect((await httpGet(`${url}/v1/url.txt`)).body.trim()).toBe(`${url}/v1`);

    // Deleted: the app's URL stops answering with the rest of it.
    await ctx.client.apps.delete({ app: APP });
    await expect(httpGet(`${url}/`)).rejects.toThrow();
  });
});
