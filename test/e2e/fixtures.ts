import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test as base, type Page, type TestInfo } from '@playwright/test';
import Docker from 'dockerode';
import WebSocket from 'ws';
import { contract } from '../../src/shared/contract';
import { FINISHED_PHASES, type Deployment, type DeploymentPhase } from '../../src/shared/deployment';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { socketClientTransport } from '../../src/shared/rpc/socket-client-transport';
import { removeSlipwayResources } from '../support/cleanup';
import { E2E_APP_PREFIX, e2eEnv } from './e2e-env';

export type EngineClient = Client<typeof contract>;

/**
 * A contract client of the engine the page talks to, over the same loopback
 * socket and token: the tests check what the page shows against what the
 * engine reports.
 */
export async function connectEngine(): Promise<{ client: EngineClient; close(): void }> {
  const url = new URL(e2eEnv('url'));
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  const socket = new WebSocket(`ws://${url.host}/rpc?token=${token}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const transport = socketClientTransport(socket as unknown as Parameters<typeof socketClientTransport>[0]);
  return { client: createClient(contract, transport), close: () => transport.close() };
}

/** Markup an attacker might slip into anything the engine sends: it must show as text, never run or render. */
export const HOSTILE_MARKUP = '<img src=x onerror="window.__pwned=1"><b id="hostile">bold</b>';

/** Checks that no hostile markup became elements and that none of it ran. */
export async function expectNoMarkupRendered(page: Page): Promise<void> {
  await expect(page.locator('#hostile')).toHaveCount(0);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
}

/** A fresh app name for this run: cleanup only ever touches names with the e2e prefix. */
export function appName(stem: string): string {
  return `${E2E_APP_PREFIX}${stem}-${randomBytes(3).toString('hex')}`;
}

/** Waits, on the engine's events, until a deployment reaches one of `phases`. Bounded. */
export async function waitForPhase(
  client: EngineClient,
  app: string,
  id: string,
  phases: readonly DeploymentPhase[] = FINISHED_PHASES,
  timeoutMs = 90_000,
): Promise<Deployment> {
  let settle: (d: Deployment) => void = () => undefined;
  const reached = new Promise<Deployment>((resolve) => (settle = resolve));
  const unsubscribe = await client.apps.events({ app }, (event) => {
    if (event.type === 'deployment' && event.deployment.id === id && phases.includes(event.deployment.phase)) {
      settle(event.deployment);
    }
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const now = await client.apps.getDeployment({ app, deployment: id });
    if (phases.includes(now.phase)) return now;
    return await Promise.race([
      reached,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`deployment ${id} of ${app} did not reach ${phases.join('/')} in ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

/** Waits until the app's newest deployment reaches one of `phases`. */
export async function waitForLatest(
  client: EngineClient,
  app: string,
  phases: readonly DeploymentPhase[] = FINISHED_PHASES,
  timeoutMs = 90_000,
): Promise<Deployment> {
  const [latest] = await client.apps.listDeployments({ app });
  if (!latest) throw new Error(`${app} has no deployment`);
  return waitForPhase(client, app, latest.id, phases, timeoutMs);
}

/** Creates and deploys an app through the engine (setup, not what is tested), and waits until it is live. */
export async function liveApp(engine: EngineClient, dir: string): Promise<Deployment> {
  const detail = await engine.apps.create({ specPath: path.join(dir, 'app.yaml') });
  const queued = await engine.apps.deploy({ app: detail.name });
  const live = await waitForPhase(engine, detail.name, queued.id);
  expect(live.phase, `setup deployment of ${detail.name}: ${live.error?.message ?? ''}`).toBe('ACTIVE');
  return live;
}

/** Console errors and uncaught exceptions (CSP violations among them): a healthy page has none. */
export function collectPageProblems(page: Page): string[] {
  const expected = [/directive 'frame-ancestors' is ignored when delivered via a <meta> element/];
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error' || expected.some((re) => re.test(message.text()))) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** Saves a screenshot in light and in dark as test artifacts; returns their paths. */
export async function screenshots(page: Page, testInfo: TestInfo, name: string): Promise<string[]> {
  const paths: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Let the terminal pick up the theme change before the picture.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const file = testInfo.outputPath(`${name}-${scheme}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    await testInfo.attach(`${name}-${scheme}`, { path: file, contentType: 'image/png' });
    paths.push(file);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return paths;
}

/** The app's card on the Apps page. */
export function appCard(page: Page, app: string) {
  return page.locator(`[data-testid="app-card"][data-app="${app}"]`);
}

/** A deployment's row in the app's Activity tab. */
export function activityRow(page: Page, id: string) {
  return page.locator(`[data-testid="activity-row"][data-deployment="${id}"]`);
}

/** Opens an app's detail page from its card, on the tab named (default: Overview). */
export async function openDetail(page: Page, app: string, tab?: string): Promise<void> {
  await appCard(page, app).getByRole('button', { name: app, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(app);
  if (tab) await page.getByRole('tab', { name: tab, exact: true }).click();
}

/** The text the terminal shows now (its visible rows). */
export async function terminalText(page: Page): Promise<string> {
  return page.getByTestId('terminal').locator('.xterm-rows').innerText();
}

/** A folder with a busybox site app: a service `web` (and optionally a worker), from the given Dockerfile. */
export async function writeApp(
  parent: string,
  options: {
    name: string;
    dockerfile?: string;
    page?: string;
    worker?: boolean;
    env?: Record<string, string>;
    /** `type: SECRET` envs of the service. */
    secrets?: Record<string, string>;
    comment?: string;
  },
): Promise<string> {
  const dir = path.join(parent, options.name);
  await mkdir(path.join(dir, 'site'), { recursive: true });
  await writeFile(path.join(dir, 'site', 'index.html'), options.page ?? `<h1>${options.name}</h1>\n`);
  await writeFile(
    path.join(dir, 'Dockerfile'),
    options.dockerfile ?? 'FROM busybox:stable\nCOPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
  );
  const envs = [
    ...Object.entries(options.env ?? {}).map(([key, value]) => ({ key, value, secret: false })),
    ...Object.entries(options.secrets ?? {}).map(([key, value]) => ({ key, value, secret: true })),
  ];
  const lines = [
    ...(options.comment ? [`# ${options.comment}`] : []),
    `name: ${options.name}`,
    'services:',
    '  - name: web',
    '    dockerfile_path: Dockerfile',
    '    http_port: 8080',
    '    health_check:',
    '      http_path: /',
    '      period_seconds: 1',
    ...(envs.length
      ? [
          '    envs:',
          ...envs.flatMap(({ key, value, secret }) => [
            `      - key: ${key}`,
            `        value: ${JSON.stringify(value)}`,
            ...(secret ? ['        type: SECRET'] : []),
          ]),
        ]
      : []),
    ...(options.worker
      ? ['workers:', '  - name: ticker', '    dockerfile_path: Dockerfile', '    run_command: sleep 3600']
      : []),
  ];
  await writeFile(path.join(dir, 'app.yaml'), `${lines.join('\n')}\n`);
  return dir;
}

export async function replaceInFile(file: string, from: RegExp | string, to: string): Promise<void> {
  await writeFile(file, (await readFile(file, 'utf8')).replace(from, to));
}

interface Fixtures {
  /** The engine, over the page's socket. */
  engine: EngineClient;
  /** A scratch folder for app sources, removed afterwards. */
  scratch: string;
  /** Apps named here are deleted after the test, passed or failed, and their labelled resources removed. */
  cleanupApps: string[];
  /** Console errors and page exceptions, checked after each test. */
  pageProblems: string[];
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  engine: async ({}, use) => {
    const { client, close } = await connectEngine();
    await use(client);
    close();
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  scratch: async ({}, use) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slipway-e2e-src-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  cleanupApps: async ({ engine }, use) => {
    const names: string[] = [];
    await use(names);
    const docker = new Docker({ socketPath: e2eEnv('dockerSocket') });
    for (const app of names) {
      if (!app.startsWith(E2E_APP_PREFIX)) continue;
      await engine.apps.delete({ app }).catch(() => undefined);
      await removeSlipwayResources(docker, { app });
    }
  },
  pageProblems: async ({ page }, use) => {
    const problems = collectPageProblems(page);
    await use(problems);
    expect(problems, 'console errors or page exceptions').toEqual([]);
  },
});

export { expect };
