import path from 'node:path';
import type { LogLine } from '../../src/shared/deployment';
import { helloCopy } from '../support/deploy-fixtures';
import { e2eEnv } from './e2e-env';
import { appCard, appName, expect, replaceInFile, screenshots, terminalText, test, waitForPhase } from './fixtures';

test.describe('apps: from an empty state to a live app', () => {
  test('creates an app from a folder, shows its build live, turns live and opens its URL', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(90_000);
    expect(await engine.apps.list({}), 'the run starts with no app').toEqual([]);
    const name = appName('hello');
    cleanupApps.push(name);
    const dir = await helloCopy(scratch, name, 'v-journey');
    // A slow step: its output must reach the terminal while the build still runs.
    // The shell computes 42, so the step header ("RUN echo ...") never matches what is looked for.
    await replaceInFile(
      path.join(dir, 'Dockerfile'),
      /^FROM busybox:stable$/m,
      'FROM busybox:stable\nRUN echo "build $((6 * 7))" && sleep 3',
    );

    await page.goto(e2eEnv('url'));
    await expect(page.getByRole('heading', { name: 'No apps yet' })).toBeVisible();
    await screenshots(page, testInfo, 'apps-empty');

    await page.getByTestId('new-app').click();
    const dialog = page.getByTestId('new-app-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('spec-path').fill(path.join(dir, 'app.yaml'));
    await screenshots(page, testInfo, 'dialog-new-app');
    await dialog.getByTestId('confirm').click();

    // The window goes to the new deployment's build log, which follows the build as it runs.
    await expect(page.getByTestId('tab-logs')).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Build' })).toHaveAttribute('aria-selected', 'true');
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain('build 42');
    const [deployment] = await engine.apps.listDeployments({ app: name });
    expect(deployment, 'the engine has the deployment the page shows').toBeDefined();
    const now = await engine.apps.getDeployment({ app: name, deployment: deployment!.id });
    expect(now.phase, 'the build line was on screen before the build ended').toBe('BUILDING');
    await expect(page.getByTestId('log-status')).toHaveText('Following live');
    await screenshots(page, testInfo, 'detail-logs-building');

    const live = await waitForPhase(engine, name, deployment!.id);
    expect(live.phase).toBe('ACTIVE');
    await expect(page.getByTestId('app-status')).toHaveAttribute('data-status', 'live');

    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    const card = appCard(page, name);
    await expect(card.getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    await expect(card.getByTestId('live-deployment')).toContainText('manual');
    await expect(card).toContainText('web');
    await expect(card).toContainText('1 instance');

    const summary = (await engine.apps.get({ app: name })).components.find((c) => c.name === 'web');
    expect(summary?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const link = card.getByTestId('app-url');
    await expect(link).toHaveAttribute('href', summary!.url!);
    await expect(link).toHaveAttribute('target', '_blank');
    await screenshots(page, testInfo, 'apps-grid');

    // Following the link opens the app itself, answering from its container through the edge.
    const [opened] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await expect(opened.locator('#version')).toHaveText('v-journey');
    await expect(opened.locator('h1')).toHaveText('Hello from Slipway');
    await opened.close();
    const answer = await page.request.get(summary!.url!);
    expect(answer.status()).toBe(200);
    expect(await answer.text()).toContain('v-journey');

    // The app's own output follows in the Runtime tab: busybox httpd -v logs each request with its client port.
    await card.getByRole('button', { name, exact: true }).click();
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByRole('tab', { name: 'Runtime' }).click();
    await expect(page.getByTestId('log-status')).toHaveText('Following live');
    const before = (await engine.apps.readLogs({ app: name, type: 'run' })).length;
    await page.request.get(`${summary!.url!}/missing-page`);
    let newest: LogLine | undefined;
    await expect
      .poll(async () => {
        const lines = (await engine.apps.readLogs({ app: name, type: 'run' })).slice(before);
        newest = lines.find((l) => l.line.includes('response:404'));
        return newest;
      })
      .toBeDefined();
    expect(newest!.component).toBe('web');
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain(newest!.line);
    await screenshots(page, testInfo, 'detail-logs-runtime');
    expect(pageProblems).toEqual([]);
  });
});
