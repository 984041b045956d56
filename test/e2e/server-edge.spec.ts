import { request } from 'node:http';
import { createServer } from 'node:net';
import Docker from 'dockerode';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ensureBusyboxImage } from '../support/busybox-image';
import { removeSlipwayResources } from '../support/cleanup';
import {
  startRemoteServers,
  stopRemoteServers,
  trustedServerInput,
  type RemoteServer,
} from '../support/remote-servers';
import { e2eEnv } from './e2e-env';
import { appCard, appName, connectEngine, expect, openDetail, screenshots, test, waitForPhase } from './fixtures';

// One throwaway server (its own sshd and dockerd on loopback): its edge is enabled, then serves an app.
test.describe.configure({ mode: 'serial' });

const SERVER = 'e2e-edge';
const DOMAIN = 'app.example.test';
const APP = appName('edge');
const PAGE = `served-by-the-edge-${APP}`;

/** True when nothing listens on the loopback port now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Three adjacent free high ports, away from Slipway's 20000–32767. */
async function freePorts(): Promise<[number, number, number]> {
  for (let tries = 0; tries < 50; tries++) {
    const base = 41_000 + Math.floor(Math.random() * 2_000) * 3;
    if ((await portFree(base)) && (await portFree(base + 1)) && (await portFree(base + 2)))
      return [base, base + 1, base + 2];
  }
  throw new Error('no three free ports in 41000–47000');
}

/** A container on the server publishing `port` on its loopback, labelled as the app's so cleanup removes it. */
async function holdPort(docker: Docker, port: number): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name: `${APP}-port-holder`,
    Image: 'busybox:stable',
    Cmd: ['sleep', '3600'],
    Labels: { 'dev.slipway.managed': 'true', 'dev.slipway.app': APP },
    ExposedPorts: { '8080/tcp': {} },
    HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] } },
  });
  await container.start();
  return container;
}

/** GET / on the edge's HTTP port on the loopback, by host name. */
function edgeGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: DOMAIN }, timeout: 5_000 }, (res) => {
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

test.describe("a server's edge", () => {
  let remote: RemoteServer | undefined;
  let httpPort = 0;
  let httpsPort = 0;
  let takenPort = 0;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    [remote] = (await startRemoteServers(1)) as [RemoteServer];
    [httpPort, httpsPort, takenPort] = await freePorts();
    // The app's image runs on the server: its engine gets busybox from this machine (no registry is reachable).
    await ensureBusyboxImage(new Docker({ socketPath: remote.dockerSocketPath }));
    const { client, close } = await connectEngine();
    try {
      const added = await client.servers.add(trustedServerInput(SERVER, remote));
      expect(added.status.state, added.status.reason).toBe('online');
    } finally {
      close();
    }
  });

  test.afterAll(async () => {
    test.setTimeout(90_000);
    const { client, close } = await connectEngine();
    try {
      await client.servers.edgeDisable({ name: SERVER }).catch(() => undefined);
      await client.apps.delete({ app: APP }).catch(() => undefined);
      if (remote) await removeSlipwayResources(new Docker({ socketPath: remote.dockerSocketPath }), { app: APP });
      await removeSlipwayResources(new Docker({ socketPath: e2eEnv('dockerSocket') }), { app: APP });
      await client.servers.remove({ name: SERVER }).catch(() => undefined);
    } finally {
      close();
    }
    if (remote) await stopRemoteServers([remote]);
  });

  test('the server page enables the edge and shows it; the app card shows the public URL, which serves the app', async ({
    page,
    engine,
    scratch,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(150_000);
    await page.goto(e2eEnv('url'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    const card = page.locator(`[data-testid="server-card"][data-server="${SERVER}"]`);
    await expect(card.getByTestId('server-status')).toHaveAttribute('data-state', 'online');
    const edge = card.getByTestId('server-edge');
    await expect(edge.getByTestId('edge-state')).toHaveText('Off');

    await edge.getByRole('button', { name: 'Enable edge…' }).click();
    const dialog = page.getByTestId('enable-edge-dialog');
    // The ACME email is asked for only with ACME.
    await expect(dialog.getByTestId('edge-acmeEmail')).toBeVisible();
    await dialog.getByTestId('edge-httpsPort').fill(String(httpsPort));
    await dialog.getByTestId('edge-bind').fill('127.0.0.1');
    await dialog.getByTestId('edge-tls').selectOption('internal');
    await expect(dialog.getByTestId('edge-acmeEmail')).toHaveCount(0);

    // A port another container on the server publishes is refused at its field, and nothing is made.
    const holder = await holdPort(new Docker({ socketPath: remote!.dockerSocketPath }), takenPort);
    await dialog.getByTestId('edge-httpPort').fill(String(takenPort));
    await dialog.getByTestId('confirm').click();
    await expect(dialog.getByTestId('edge-httpPort-problem')).toContainText(`${APP}-port-holder`);
    await expect(dialog.getByTestId('dialog-error')).toContainText('EDGE_PORT_IN_USE');
    expect((await engine.servers.edgeStatus({ name: SERVER })).enabled).toBe(false);
    await holder.remove({ force: true });

    await dialog.getByTestId('edge-httpPort').fill(String(httpPort));
    await expect(dialog.getByTestId('edge-httpPort-problem')).toHaveCount(0);
    await screenshots(page, testInfo, 'dialog-enable-edge');
    await dialog.getByTestId('confirm').click();
    await expect(dialog).toBeHidden({ timeout: 60_000 });

    await expect(edge).toHaveAttribute('data-enabled', 'true');
    await expect(edge.getByTestId('edge-state')).toHaveText('On');
    await expect(edge.getByTestId('edge-http-port')).toHaveText(String(httpPort));
    await expect(edge.getByTestId('edge-https-port')).toHaveText(String(httpsPort));
    await expect(edge.getByTestId('edge-bind')).toHaveText('127.0.0.1');
    await expect(edge.getByTestId('edge-tls-mode')).toHaveAttribute('data-tls', 'internal');
    await expect(edge.getByTestId('edge-health')).toHaveAttribute('data-container', 'running');
    const status = await engine.servers.edgeStatus({ name: SERVER });
    expect(status).toMatchObject({ enabled: true, httpPort, httpsPort, bind: '127.0.0.1', tls: 'internal' });
    await screenshots(page, testInfo, 'server-edge-on');

    // An app on that server with a domain, serving busybox httpd (setup through the engine, as other specs do).
    const dir = path.join(scratch, APP);
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'app.yaml'),
      [
        `name: ${APP}`,
        'domains:',
        `  - domain: ${DOMAIN}`,
        'services:',
        '  - name: web',
        '    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }',
        '    http_port: 8080',
        `    run_command: mkdir -p /www && echo ${PAGE} > /www/index.html && exec httpd -f -p 8080 -h /www`,
        '',
      ].join('\n'),
    );
    const created = await engine.apps.create({ specPath: path.join(dir, 'app.yaml'), server: SERVER });
    expect(created.name).toBe(APP);
    const queued = await engine.apps.deploy({ app: APP });
    const live = await waitForPhase(engine, APP, queued.id);
    expect(live.phase, live.error?.message).toBe('ACTIVE');
    const publicUrl = `https://${DOMAIN}:${httpsPort}`;
    expect(live.endpoints.find((e) => e.component === 'web')?.publicUrls).toEqual([publicUrl]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Apps' }).click();
    const app = appCard(page, APP);
    await expect(app.getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    const link = app.getByTestId('app-public-url');
    await expect(link).toHaveAttribute('href', publicUrl);
    await expect(link).toContainText(`${DOMAIN}:${httpsPort}`);
    // The edge serves the app: the tunnel's URL is not shown in its place.
    await expect(app.getByTestId('app-url')).toHaveCount(0);
    await screenshots(page, testInfo, 'app-card-public-url');
    await openDetail(page, APP);
    await expect(page.getByTestId('component-public-url')).toHaveAttribute('href', publicUrl);

    // A request by that host name to the edge's HTTP port answers with the app's page.
    await expect
      .poll(async () => (await edgeGet(httpPort).catch(() => null))?.body ?? '', { timeout: 20_000 })
      .toContain(PAGE);

    // The server card lists the domain, its app and its certificate (the internal CA issues it in the background).
    await expect
      .poll(async () => (await engine.servers.edgeStatus({ name: SERVER })).routes[0]?.certificate?.state, {
        timeout: 20_000,
      })
      .toBe('valid');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    const domainRow = edge.locator(`[data-testid="edge-domain"][data-domain="${DOMAIN}"]`);
    await expect(domainRow).toHaveAttribute('data-certificate', 'valid');
    await expect(domainRow).toContainText(APP);
    await expect(domainRow).toContainText('certificate valid until');
    await screenshots(page, testInfo, 'server-edge-domains');

    // Disabling asks first, naming the app that loses its public URL.
    await edge.getByRole('button', { name: 'Disable edge…' }).click();
    const disable = page.getByTestId('disable-edge-dialog');
    await expect(disable.getByTestId('edge-apps-losing-url')).toContainText(APP);
    await screenshots(page, testInfo, 'dialog-disable-edge');
    await disable.getByTestId('confirm').click();
    await expect(disable).toBeHidden({ timeout: 30_000 });
    await expect(edge.getByTestId('edge-state')).toHaveText('Off');
    expect((await engine.servers.edgeStatus({ name: SERVER })).enabled).toBe(false);
    // Without the edge the app has no public URL: its card shows the tunnel's URL again.
    const web = (await engine.apps.get({ app: APP })).components.find((c) => c.name === 'web')!;
    expect(web.publicUrls).toBeUndefined();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Apps' }).click();
    await expect(app.getByTestId('app-public-url')).toHaveCount(0);
    await expect(app.getByTestId('app-url')).toHaveAttribute('href', web.url!);
    expect(pageProblems).toEqual([]);
  });
});
