import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { removeSlipwayResources } from '../support/cleanup';
import { startBrowserHost, type BrowserHost } from '../support/browser-host';
import { helloCopy } from '../support/deploy-fixtures';
import { startTestEngine, type TestEngine } from '../support/engine-process';
import { e2eEnv } from './e2e-env';
import { appCard, appName, collectPageProblems, expect, screenshots, test, waitForLatest } from './fixtures';

/**
 * Docker Desktop not started yet, as a user first meets Slipway: a second
 * engine of its own whose Docker socket does not exist until the test links
 * it to the run's real engine, served by a second browser host.
 */
test.describe('when Docker is not running', () => {
  let dir: string;
  let engine: TestEngine | undefined;
  let host: BrowserHost | undefined;
  const name = appName('nodocker');

  test.beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slipway-e2e-nodocker-'));
  });

  test.afterAll(async () => {
    await engine?.client.apps.delete({ app: name }).catch(() => undefined);
    await removeSlipwayResources(new Docker({ socketPath: e2eEnv('dockerSocket') }), { app: name });
    await host?.close();
    await engine?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('lists apps, says Docker is not answering, and carries on once it starts', async ({ page }, testInfo) => {
    test.setTimeout(90_000);
    const socket = path.join(dir, 'docker.sock');
    engine = await startTestEngine(path.join(dir, 'data'), { DOCKER_HOST: `unix://${socket}` });
    host = await startBrowserHost({ rendererDir: 'out/renderer', router: engine.relay });
    const { client } = engine;
    const source = await helloCopy(dir, name, 'after docker started');
    await client.apps.create({ specPath: path.join(source, 'app.yaml') });
    const problems = collectPageProblems(page);

    await page.goto(host.url);
    await expect(page.locator('.engine-indicator')).toHaveText('Engine unreachable');
    const card = appCard(page, name);
    await expect(card.getByTestId('app-status')).toHaveAttribute('data-status', 'new');

    // A deploy fails at once, and says why and what to do; the app says its engine does not answer.
    await card.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Deploy…', exact: true }).click();
    await page.getByTestId('deploy-dialog').getByTestId('confirm').click();
    const failed = await waitForLatest(client, name);
    expect(failed.error?.code).toBe('DOCKER_UNREACHABLE');
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await expect(card.getByTestId('app-status')).toHaveAttribute('data-status', 'unreachable');
    await expect(card.getByTestId('app-status')).toHaveText('Not answering');
    await expect(card.getByTestId('failed-deployment')).toContainText('does not answer');
    await expect(card.getByTestId('failed-deployment')).toContainText('Start it and deploy again');
    await screenshots(page, testInfo, 'apps-docker-down');

    // Docker starts: the window follows by itself, and the next deploy goes live.
    await symlink(e2eEnv('dockerSocket'), socket);
    await expect(page.locator('.engine-indicator')).toContainText('Engine running', { timeout: 15_000 });
    await expect(card.getByTestId('app-status')).toHaveAttribute('data-status', 'error', { timeout: 15_000 });
    await card.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Deploy…', exact: true }).click();
    await page.getByTestId('deploy-dialog').getByTestId('confirm').click();
    const live = await waitForLatest(client, name);
    expect(live.phase, live.error?.message).toBe('ACTIVE');
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await expect(card.getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    await expect(card.getByTestId('failed-deployment')).toBeHidden();
    expect(problems).toEqual([]);
  });
});
