import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import Docker from 'dockerode';
import WebSocket from 'ws';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../support/busybox-image';
import { e2eEnv } from './e2e-env';

/**
 * The shared policy names frame-ancestors for the header's sake; Chromium notes
 * that a meta tag cannot carry it, which is expected and harmless.
 */
const EXPECTED_CONSOLE_ERRORS = [/directive 'frame-ancestors' is ignored when delivered via a <meta> element/];

/** Console errors and uncaught exceptions, CSP violations among them: a healthy page has none. */
function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error' || EXPECTED_CONSOLE_ERRORS.some((re) => re.test(message.text()))) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

function dockerClient(): Docker {
  return new Docker({ socketPath: e2eEnv('dockerSocket') });
}

test.describe('engine status', () => {
  test.beforeAll(async () => {
    // Built before any page opens, so the build's own containers do not crowd the event list.
    await ensureBusyboxImage(dockerClient());
  });

  test("shows the real engine's Docker version and its live container events", async ({ page }, testInfo) => {
    const docker = dockerClient();
    // Asked of the engine directly, not through Slipway, so the page is checked against the truth.
    const expected = await docker.version();
    const problems = collectPageProblems(page);

    await page.goto(e2eEnv('url'));
    // The local engine is shown with the servers, as the first of them.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    const panel = page.getByTestId('engine-status');
    await expect(panel).toHaveAttribute('data-state', 'online');
    await expect(page.getByTestId('docker-version')).toHaveText(
      `Docker ${expected.Version} (API ${expected.ApiVersion})`,
    );
    await expect(panel).toContainText(`${expected.Os}/${expected.Arch}`);
    // The token was read from the fragment and taken out of the address bar.
    expect(page.url()).not.toContain('token');
    expect(new URL(page.url()).hash).toBe('');
    await expect(panel.getByText('Live', { exact: true })).toBeVisible();

    const name = `slipway-e2e-events-${randomBytes(4).toString('hex')}`;
    const rows = page.getByTestId('container-event').filter({ hasText: name });
    let container: Docker.Container | undefined;
    try {
      container = await docker.createContainer({
        name,
        Image: BUSYBOX_IMAGE,
        Cmd: ['true'],
        Labels: { 'dev.slipway.managed': 'true', 'dev.slipway.app': 'e2e-events' },
      });
      await container.start();
      await container.wait();
      await expect(rows.and(page.locator('[data-action="start"]'))).toBeVisible();
      await expect(rows.first()).toContainText('app e2e-events');
    } finally {
      await container?.remove({ force: true }).catch((err: { statusCode?: number }) => {
        if (err.statusCode !== 404) throw err;
      });
    }
    await expect(rows.and(page.locator('[data-action="destroy"]'))).toBeVisible();

    const screenshot = testInfo.outputPath('engine-status.png');
    await page.screenshot({ path: screenshot, fullPage: true, animations: 'disabled' });
    await testInfo.attach('engine-status', { path: screenshot, contentType: 'image/png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    const darkScreenshot = testInfo.outputPath('engine-status-dark.png');
    await page.screenshot({ path: darkScreenshot, fullPage: true, animations: 'disabled' });
    await testInfo.attach('engine-status-dark', { path: darkScreenshot, contentType: 'image/png' });
    expect(problems).toEqual([]);
  });

  test('the sidebar is keyboard reachable and marks the current page', async ({ page }) => {
    await page.goto(e2eEnv('url'));
    const nav = page.getByRole('navigation', { name: 'Main' });
    const apps = nav.getByRole('button', { name: 'Apps' });
    const servers = nav.getByRole('button', { name: 'Servers' });
    await expect(apps).toHaveAttribute('aria-current', 'page');

    await page.keyboard.press('Tab');
    await expect(apps).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(servers).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(servers).toHaveAttribute('aria-current', 'page');
    await expect(apps).not.toHaveAttribute('aria-current', /.*/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Servers');
    await expect(page.getByText('No servers yet')).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await expect(nav.getByRole('button', { name: 'Settings' })).toBeFocused();
  });
});

test.describe('engine socket', () => {
  test('refuses connections from the page without the right token', async ({ page }) => {
    await page.goto(e2eEnv('url'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    await expect(page.getByTestId('engine-status')).toHaveAttribute('data-state', 'online');

    const base = `ws://${new URL(e2eEnv('origin')).host}/rpc`;
    const outcomes = await page.evaluate(async (base) => {
      // The page's own WebSocket; this file is compiled without the DOM's types.
      interface PageSocket {
        addEventListener(type: 'open' | 'close', listener: (event: { code: number }) => void): void;
        close(): void;
      }
      const PageWebSocket = (globalThis as unknown as { WebSocket: new (url: string) => PageSocket }).WebSocket;
      const attempt = (url: string) =>
        new Promise<{ opened: boolean; code: number }>((resolve) => {
          const socket = new PageWebSocket(url);
          let opened = false;
          socket.addEventListener('open', () => {
            opened = true;
            socket.close();
          });
          socket.addEventListener('close', (event) => resolve({ opened, code: event.code }));
        });
      return {
        none: await attempt(base),
        empty: await attempt(`${base}?token=`),
        wrong: await attempt(`${base}?token=${'0'.repeat(64)}`),
      };
    }, base);
    // 1006: the handshake failed, the socket never opened.
    expect(outcomes).toEqual({
      none: { opened: false, code: 1006 },
      empty: { opened: false, code: 1006 },
      wrong: { opened: false, code: 1006 },
    });
  });

  test('refuses the right token from another origin', async () => {
    const url = new URL(e2eEnv('url'));
    const token = new URLSearchParams(url.hash.slice(1)).get('token');
    const socketUrl = `ws://${url.host}/rpc?token=${token}`;
    const attempt = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(socketUrl, { headers });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (_req, res) => {
          res.resume();
          resolve(`refused ${res.statusCode}`);
        });
        socket.on('error', (err) => resolve(`error ${err.message}`));
      });
    expect(await attempt({ Origin: 'http://evil.example' })).toBe('refused 403');
    expect(await attempt({ Origin: `http://${url.host}` })).toBe('open');
  });

  test('a page opened without its token says so instead of hanging', async ({ page }, testInfo) => {
    await page.goto(`${e2eEnv('origin')}/`);
    // The apps page says it could not ask; the Servers page says why.
    await expect(page.getByRole('alert').filter({ hasText: 'could not list the apps' })).toContainText(
      'no connection to a Slipway engine',
    );
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    const panel = page.getByTestId('engine-status');
    await expect(panel).toHaveAttribute('data-state', 'unreachable');
    await expect(panel).toContainText('UNAUTHORIZED');
    const screenshot = testInfo.outputPath('engine-unreachable.png');
    await page.screenshot({ path: screenshot, fullPage: true, animations: 'disabled' });
    await testInfo.attach('engine-unreachable', { path: screenshot, contentType: 'image/png' });
  });

  test('a page with a wrong token shows the closed connection', async ({ page }) => {
    await page.goto(`${e2eEnv('origin')}/#token=${'0'.repeat(64)}`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    const panel = page.getByTestId('engine-status');
    await expect(panel).toHaveAttribute('data-state', 'unreachable');
    await expect(panel).toContainText('TRANSPORT_CLOSED');
    expect(page.url()).not.toContain('token');
  });
});
