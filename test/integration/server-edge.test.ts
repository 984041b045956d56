import { request as httpRequest } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/contract';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import type { SshDockerHost } from '../../src/main/engine/hosts/ssh-docker-host';
import {
  EDGE_CONTAINER,
  EDGE_NETWORK,
  EDGE_VOLUMES,
  edgeAdmin,
} from '../../src/main/engine/edge/server-edge-container';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../support/busybox-image';
import { deployAndWait, eventually, httpGet, scratchDir, waitForDeployment } from '../support/deploy-fixtures';
import {
  connectServerEngine,
  restartDockerd,
  startRemoteServers,
  stopRemoteServers,
  trustedServerInput,
  type RemoteServer,
} from '../support/remote-servers';

const DOMAIN = 'app.example.test';
// High ports on the server's loopback (this machine's, in tests), away from Slipway's 20000–32767.
const base = 41_000 + Math.floor(Math.random() * 2_000) * 3;
const HTTP_PORT = base;
const HTTPS_PORT = base + 1;
const TAKEN_PORT = base + 2;

function appSpec(name: string, page: string): string {
  return [
    `name: ${name}`,
    'domains:',
    `  - domain: ${DOMAIN}`,
    'services:',
    '  - name: web',
    `    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }`,
    '    http_port: 8080',
    `    run_command: mkdir -p /www && echo ${page} > /www/index.html && exec httpd -f -p 8080 -h /www`,
    '',
  ].join('\n');
}

/** GET a path on the edge's loopback port, by host name (plain HTTP, or HTTPS trusting any certificate: the internal CA). */
function edgeGet(
  port: number,
  tls: boolean,
  host = DOMAIN,
  ca?: string,
  path = '/',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port,
      path,
      headers: { Host: host },
      timeout: 5_000,
      ...(tls ? { servername: host, ...(ca ? { ca } : { rejectUnauthorized: false }) } : {}),
    };
    const req = (tls ? httpsRequest : httpRequest)(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Waits (bounded) until the edge answers the page on both ports: a certificate of the internal CA is made just after a route appears. */
async function answers(page: string) {
  await eventually(async () => {
    const [plain, secure] = await Promise.all([
      edgeGet(HTTP_PORT, false).catch(() => null),
      edgeGet(HTTPS_PORT, true).catch(() => null),
    ]);
    return plain?.body.includes(page) && secure?.body.includes(page);
  }, 20_000);
}

describe("a server's Slipway edge (Caddy)", () => {
  /** The public URLs `apps get` gives the app's component `web`. */
  const publicUrlsOf = async (app: string) =>
    (await client.apps.get({ app })).components.find((c) => c.name === 'web')?.publicUrls;

  let servers: RemoteServer[];
  let remote: SshDockerHost;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let engine: Engine;
  let client: Client<typeof contract>;
  let knownHosts: string;
  const data = () => path.join(scratch.dir, 'data');
  const openEngine = () => {
    engine = createEngine({ dataDir: data(), ssh: { knownHostsFile: knownHosts } });
    client = createClient(contract, inProcessTransport(engine.router));
  };

  beforeAll(async () => {
    servers = await startRemoteServers(1);
    scratch = await scratchDir('server-edge');
    const s = servers[0]!;
    remote = await connectServerEngine(s);
    await ensureBusyboxImage(remote.docker);
    knownHosts = path.join(scratch.dir, 'known_hosts');
    await writeFile(knownHosts, '');
    openEngine();
    const added = await client.servers.add(trustedServerInput('edge1', s));
    expect(added.status.state, added.status.reason).toBe('online');
  });

  afterAll(async () => {
    for (const app of ['edge-one', 'edge-two', 'edge-three', 'edge-four', 'edge-multi', 'edge-plain', 'edge-five'])
      await client?.apps.delete({ app }).catch(() => undefined);
    await client?.servers.edgeDisable({ name: 'edge1' }).catch(() => undefined);
    await engine?.close();
    await remote?.close();
    if (servers) await stopRemoteServers(servers);
    await scratch?.remove();
  });

  it('serves an app by its domain over HTTP and HTTPS, also with the engine stopped and after Docker restarts', async () => {
    // The server has no caddy:2 and no registry: enable ships it from this machine.
    expect(
      await remote.docker
        .getImage('caddy:2')
        .inspect()
        .then(
          () => true,
          () => false,
        ),
    ).toBe(false);
    const enabled = await client.servers.edgeEnable({
      name: 'edge1',
      bind: '127.0.0.1',
      httpPort: HTTP_PORT,
      httpsPort: HTTPS_PORT,
      tls: 'internal',
    });
    expect(enabled).toMatchObject({ enabled: true, container: 'running', tls: 'internal', routes: [] });
    const edge = await remote.docker.getContainer(EDGE_CONTAINER).inspect();
    expect(edge.Config.Labels).toMatchObject({ 'dev.slipway.managed': 'true', 'dev.slipway.edge': 'server' });
    expect(edge.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(edge.Config.Cmd).toContain('--resume');
    // An unknown host name is a 404, not Caddy's empty 200.
    expect((await edgeGet(HTTP_PORT, false, 'nobody.example.test')).status).toBe(404);

    await client.apps.create({ specYaml: appSpec('edge-one', 'edge-one-v1'), server: 'edge1' });
    const deployed = await deployAndWait(client, 'edge-one');
    expect(deployed.phase, JSON.stringify(deployed.error)).toBe('ACTIVE');
    await answers('edge-one-v1');
    // HTTPS verified against the root of Caddy's internal CA, read from its admin API over SSH.
    const admin = await edgeAdmin(remote);
    const pki = await admin.send('GET', '/pki/ca/local');
    expect(pki.status, pki.body).toBe(200);
    const root = (JSON.parse(pki.body) as { root_certificate: string }).root_certificate;
    expect((await edgeGet(HTTPS_PORT, true, DOMAIN, root)).body).toContain('edge-one-v1');
    const status = await client.servers.edgeStatus({ name: 'edge1' });
    // The domain's certificate, as Caddy stored it (read from its data volume): issued by its internal CA.
    expect(status.routes).toEqual([
      {
        domain: DOMAIN,
        app: 'edge-one',
        certificate: {
          state: 'valid',
          issuer: expect.stringContaining('Caddy Local Authority'),
          notAfter: expect.any(String),
        },
      },
    ]);
    expect(new Date(status.routes[0]!.certificate!.notAfter!).getTime()).toBeGreaterThan(Date.now());

    // Slipway closed: Caddy on the server serves on its own.
    await engine.close();
    expect((await edgeGet(HTTP_PORT, false)).body).toContain('edge-one-v1');
    expect((await edgeGet(HTTPS_PORT, true)).body).toContain('edge-one-v1');
    // The server's Docker restarts (as after a reboot), Slipway still closed: edge and app come back with their route.
    await restartDockerd(servers[0]!);
    await answers('edge-one-v1');
    openEngine();
  });

  it('refuses a second app claiming the same domain, naming the first', async () => {
    await client.apps.create({ specYaml: appSpec('edge-two', 'edge-two-v1'), server: 'edge1' });
    const failed = await deployAndWait(client, 'edge-two');
    expect(failed.phase).toBe('ERROR');
    expect(failed.error?.message).toMatch(/app\.example\.test is already served by the app edge-one/);
    // The first app's route is untouched.
    expect((await edgeGet(HTTP_PORT, false)).body).toContain('edge-one-v1');
    await client.apps.delete({ app: 'edge-two' });

    // A deleted app's host name is free for the next app.
    const other = (name: string) => appSpec(name, `${name}-page`).replace(DOMAIN, 'other.example.test');
    await client.apps.create({ specYaml: other('edge-three'), server: 'edge1' });
    expect((await deployAndWait(client, 'edge-three')).phase).toBe('ACTIVE');
    await client.apps.delete({ app: 'edge-three' });
    await client.apps.create({ specYaml: other('edge-four'), server: 'edge1' });
    const four = await deployAndWait(client, 'edge-four');
    expect(four.phase, JSON.stringify(four.error)).toBe('ACTIVE');
    expect((await edgeGet(HTTP_PORT, false, 'other.example.test')).body).toContain('edge-four-page');
    await client.apps.delete({ app: 'edge-four' });
  });

  it('moves the route to a new version and through a restart; a version that never gets healthy leaves it', async () => {
    await client.apps.update({ app: 'edge-one', specYaml: appSpec('edge-one', 'edge-one-v2') });
    const v2 = await deployAndWait(client, 'edge-one');
    expect(v2.phase, JSON.stringify(v2.error)).toBe('ACTIVE');
    await answers('edge-one-v2');
    // The old instance is gone: the edge answers only if its route moved to the restart's fresh one.
    const restart = await client.apps.restart({ app: 'edge-one' });
    const restarted = await waitForDeployment(client, 'edge-one', restart.id);
    expect(restarted.phase, JSON.stringify(restarted.error)).toBe('ACTIVE');
    await answers('edge-one-v2');

    const broken = appSpec('edge-one', 'never').replace(/run_command: .*/, 'run_command: exit 3');
    await client.apps.update({ app: 'edge-one', specYaml: broken });
    const failed = await deployAndWait(client, 'edge-one');
    expect(failed.phase).toBe('ERROR');
    expect((await edgeGet(HTTP_PORT, false)).body).toContain('edge-one-v2');
    expect((await edgeGet(HTTPS_PORT, true)).body).toContain('edge-one-v2');
    await client.apps.update({ app: 'edge-one', specYaml: appSpec('edge-one', 'edge-one-v2') });
  });

  it("puts the edge back on the version serving when the tunnel cannot take a new service's port", async () => {
    const five = (page: string) => appSpec('edge-five', page).replace(DOMAIN, 'five.example.test');
    await client.apps.create({ specYaml: five('five-v1'), server: 'edge1' });
    expect((await deployAndWait(client, 'edge-five')).phase).toBe('ACTIVE');
    const get = () => edgeGet(HTTP_PORT, false, 'five.example.test');
    await eventually(async () => (await get().catch(() => null))?.body.includes('five-v1'), 20_000);
    // A program on this machine holds the port the new service's tunnel is to listen on.
    const holder = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
    const taken = (holder.address() as AddressInfo).port;
    try {
      const withApi = five('five-v2').replace(
        'services:\n',
        `services:\n  - name: api\n    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }\n    http_port: 8080\n    run_command: exec httpd -f -p 8080\n`,
      );
      await client.apps.update({ app: 'edge-five', specYaml: withApi, hostPorts: { api: taken } });
      const failed = await deployAndWait(client, 'edge-five');
      expect(failed.phase).toBe('ERROR');
      expect(failed.error?.message).toContain(`Port ${taken} on 127.0.0.1 is taken`);
      // The server's edge had switched first; it serves the live version again, not the removed instances.
      expect((await get()).body).toContain('five-v1');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    await client.apps.delete({ app: 'edge-five' });
  });

  it('routes one domain to several components by path (ingress), on their own network, the edge joined to it', async () => {
    const service = (name: string) => [
      `  - name: ${name}`,
      '    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }',
      '    http_port: 8080',
      '    envs: [{ key: PUBLIC, value: "${_self.PUBLIC_URL}", scope: RUN_TIME }]',
      `    run_command: mkdir -p /www && echo multi-${name} > /www/index.html && echo "$PUBLIC" > /www/url.txt && exec httpd -f -p 8080 -h /www`,
    ];
    const spec = [
      'name: edge-multi',
      'domains:',
      '  - domain: multi.example.test',
      'ingress:',
      '  rules:',
      '    - { component: { name: web }, match: { path: { prefix: / } } }',
      '    - { component: { name: api }, match: { path: { prefix: /api } } }',
      'services:',
      ...service('web'),
      ...service('api'),
      '',
    ];
    await client.apps.create({ specYaml: spec.join('\n'), server: 'edge1' });
    const deployed = await deployAndWait(client, 'edge-multi');
    expect(deployed.phase, JSON.stringify(deployed.error)).toBe('ACTIVE');
    const get = (path: string, tls = false) =>
      edgeGet(tls ? HTTPS_PORT : HTTP_PORT, tls, 'multi.example.test', undefined, path);
    await eventually(async () => (await get('/', true).catch(() => null))?.body.includes('multi-web'), 20_000);
    expect((await get('/')).body).toContain('multi-web');
    // The prefix is cut off before the request reaches api (DigitalOcean's default), `/api` itself included.
    expect((await get('/api/')).body).toContain('multi-api');
    expect((await get('/api')).body).toContain('multi-api');
    expect((await get('/api/url.txt', true)).body.trim()).toBe(`https://multi.example.test:${HTTPS_PORT}/api`);
    expect((await get('/url.txt')).body.trim()).toBe(`https://multi.example.test:${HTTPS_PORT}`);
    // `/apiary` is not under `/api`.
    expect((await get('/apiary')).status).toBe(404);
    const components = (await client.apps.get({ app: 'edge-multi' })).components;
    expect(components.find((c) => c.name === 'api')?.publicUrls).toEqual([
      `https://multi.example.test:${HTTPS_PORT}/api`,
    ]);
    const edge = await remote.docker.getContainer(EDGE_CONTAINER).inspect();
    expect(Object.keys(edge.NetworkSettings.Networks)).toContain('slipway-edge-multi');
    await client.apps.delete({ app: 'edge-multi' });
    // Deleted: its host name is a 404 again, and its network is gone though the edge had joined it.
    expect((await get('/')).status).toBe(404);
    await expect(remote.docker.getNetwork('slipway-edge-multi').inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('serves an app without a domain on a port of the edge of its own, kept across deploys and brought back', async () => {
    const plain = (page: string) =>
      appSpec('edge-plain', page)
        .replace(`domains:\n  - domain: ${DOMAIN}\n`, '')
        .replace(
          '    http_port: 8080\n',
          '    http_port: 8080\n    envs: [{ key: PUBLIC, value: "${_self.PUBLIC_URL}" }]\n',
        )
        .replace(
          '> /www/index.html',
          // A CGI script that answers with the client address the app was given.
          `> /www/index.html && echo "$PUBLIC" > /www/url.txt && mkdir -p /www/cgi-bin && printf '#!/bin/sh\\necho Content-Type:text/plain\\necho\\necho "$HTTP_X_FORWARDED_FOR"\\n' > /www/cgi-bin/ip && chmod +x /www/cgi-bin/ip`,
        );
    await client.apps.create({ specYaml: plain('plain-v1'), server: 'edge1' });
    const first = await deployAndWait(client, 'edge-plain');
    expect(first.phase, JSON.stringify(first.error)).toBe('ACTIVE');
    const [url] = (await publicUrlsOf('edge-plain')) ?? [];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:10\d{3}$/);
    await eventually(async () => (await httpGet(`${url}/`).catch(() => null))?.body.includes('plain-v1'), 20_000);
    // `${_self.PUBLIC_URL}` is that URL at deploy time, already on the first deploy.
    expect((await httpGet(`${url}/url.txt`)).body.trim()).toBe(url);
    const status = await client.servers.edgeStatus({ name: 'edge1' });
    expect(status.ports).toEqual([{ app: 'edge-plain', port: Number(new URL(url!).port), url }]);
    // The app is told where the request came from, not that it came from the publisher.
    const publisherIp = (await remote.docker.getContainer('slipway-edge-port-edge-plain').inspect()).NetworkSettings
      .Networks[EDGE_NETWORK]!.IPAddress;
    const forwardedFor = (await httpGet(`${url}/cgi-bin/ip`)).body.trim();
    expect(forwardedFor.split(',')[0]!.trim()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(forwardedFor.split(',')[0]!.trim()).not.toBe(publisherIp);

    // A new version keeps the port; the publisher removed by hand comes back at the next deploy.
    await remote.docker.getContainer('slipway-edge-port-edge-plain').remove({ force: true, v: true });
    await client.apps.update({ app: 'edge-plain', specYaml: plain('plain-v2') });
    const second = await deployAndWait(client, 'edge-plain');
    expect(second.phase, JSON.stringify(second.error)).toBe('ACTIVE');
    expect(await publicUrlsOf('edge-plain')).toEqual([url]);
    await eventually(async () => (await httpGet(`${url}/`).catch(() => null))?.body.includes('plain-v2'), 20_000);
    const publisher = await remote.docker.getContainer('slipway-edge-port-edge-plain').inspect();
    expect(publisher.Config.Labels).toMatchObject({ 'dev.slipway.managed': 'true', 'dev.slipway.edge': 'port' });
    expect(publisher.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');

    // Deleted: its port and publisher go, and nothing answers there.
    await client.apps.delete({ app: 'edge-plain' });
    await expect(remote.docker.getContainer('slipway-edge-port-edge-plain').inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(httpGet(`${url}/`)).rejects.toThrow();
    expect((await client.servers.edgeStatus({ name: 'edge1' })).ports).toEqual([]);
  });

  it('refuses, changing nothing, to enable on a port another container publishes', async () => {
    const holder = await remote.docker.createContainer({
      name: 'not-slipway-port-holder',
      Image: BUSYBOX_IMAGE,
      Cmd: ['httpd', '-f', '-p', '8080'],
      ExposedPorts: { '8080/tcp': {} },
      HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(TAKEN_PORT) }] } },
    });
    try {
      await holder.start();
      const before = await remote.docker.getContainer(EDGE_CONTAINER).inspect();
      const refused = await client.servers
        .edgeEnable({ name: 'edge1', bind: '127.0.0.1', httpPort: TAKEN_PORT, httpsPort: HTTPS_PORT, tls: 'internal' })
        .then(
          () => null,
          (err: { code?: string; message?: string }) => err,
        );
      expect(refused?.code).toBe('EDGE_PORT_IN_USE');
      expect(refused?.message).toMatch(
        new RegExp(`Port ${TAKEN_PORT} on 127.0.0.1 .*not-slipway-port-holder.*nothing was changed`),
      );
      const after = await remote.docker.getContainer(EDGE_CONTAINER).inspect();
      expect(after.Id).toBe(before.Id);
      expect(after.State.Running).toBe(true);
      expect((await client.servers.edgeStatus({ name: 'edge1' })).httpPort).toBe(HTTP_PORT);
      expect((await edgeGet(HTTP_PORT, false)).body).toContain('edge-one-v2');
    } finally {
      await holder.remove({ force: true });
    }
    // Enabling again (a new container on the kept volumes) keeps serving the routes of the apps there.
    const again = await client.servers.edgeEnable({
      name: 'edge1',
      bind: '127.0.0.1',
      httpPort: HTTP_PORT,
      httpsPort: HTTPS_PORT,
      tls: 'internal',
    });
    expect(again.routes.map(({ domain, app }) => ({ domain, app }))).toEqual([{ domain: DOMAIN, app: 'edge-one' }]);
    await answers('edge-one-v2');
  });

  it('brings back an edge removed by hand when Slipway reconnects, on the image it was pinned to', async () => {
    const { pinnedImage } = await client.servers.edgeStatus({ name: 'edge1' });
    // Shipped from this machine (no registry): pinned by the image's ID.
    expect(pinnedImage).toMatch(/^(caddy@)?sha256:[0-9a-f]{64}$/);
    await remote.docker.getContainer(EDGE_CONTAINER).remove({ force: true });
    await expect(edgeGet(HTTP_PORT, false)).rejects.toThrow();
    // A new engine reconciles as it opens, as after a lost connection: the edge comes back with its routes.
    await engine.close();
    openEngine();
    await client.apps.list();
    await answers('edge-one-v2');
    expect((await remote.docker.getContainer(EDGE_CONTAINER).inspect()).Config.Image).toBe(pinnedImage);
  });

  it('brings back an edge removed by hand at the next deploy, and disable removes only what Slipway made', async () => {
    await remote.docker.getContainer(EDGE_CONTAINER).remove({ force: true });
    await expect(edgeGet(HTTP_PORT, false)).rejects.toThrow();
    const redeployed = await deployAndWait(client, 'edge-one');
    expect(redeployed.phase, JSON.stringify(redeployed.error)).toBe('ACTIVE');
    await answers('edge-one-v2');
    const publicUrl = `https://${DOMAIN}:${HTTPS_PORT}`;
    expect(redeployed.endpoints.find((e) => e.component === 'web')?.publicUrls).toEqual([publicUrl]);
    expect(await publicUrlsOf('edge-one')).toEqual([publicUrl]);

    const bystander = await remote.docker.createVolume({ Name: 'not-slipway-volume' });
    try {
      const disabled = await client.servers.edgeDisable({ name: 'edge1' });
      expect(disabled.appsLosingUrl).toEqual(['edge-one']);
      expect(disabled.removed.sort()).toEqual(
        [
          `container ${EDGE_CONTAINER}`,
          `network ${EDGE_NETWORK}`,
          `volume ${EDGE_VOLUMES.config}`,
          `volume ${EDGE_VOLUMES.data}`,
        ].sort(),
      );
      expect((await client.servers.edgeStatus({ name: 'edge1' })).enabled).toBe(false);
      // The app itself and what Slipway did not make are still there.
      const app = await remote.docker.listContainers({ filters: { label: ['dev.slipway.app=edge-one'] } });
      // The previous version may still be draining; the live one must be running.
      expect(app.map((c) => c.Id)).toEqual(expect.arrayContaining(redeployed.containers.web!));
      expect(await remote.docker.getVolume('not-slipway-volume').inspect()).toBeTruthy();
      // Without the edge the app has no public URL any more.
      expect(await publicUrlsOf('edge-one')).toBeUndefined();
    } finally {
      await remote.docker.getVolume(bystander.name).remove();
    }
    // Enabled again, the edge serves the live app at once, and the app says so without a new deployment.
    await client.servers.edgeEnable({
      name: 'edge1',
      bind: '127.0.0.1',
      httpPort: HTTP_PORT,
      httpsPort: HTTPS_PORT,
      tls: 'internal',
    });
    await answers('edge-one-v2');
    expect(await publicUrlsOf('edge-one')).toEqual([`https://${DOMAIN}:${HTTPS_PORT}`]);
  });
});
