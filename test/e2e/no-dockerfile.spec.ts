import { cp } from 'node:fs/promises';
import path from 'node:path';
import { e2eEnv } from './e2e-env';
import { appName, expect, replaceInFile, screenshots, test, waitForLatest } from './fixtures';

/** A Node app with a start script and `engines.node: 20`, no dependencies and no Dockerfile. */
const NODE_APP = path.resolve(__dirname, '../fixtures/no-dockerfile/node-app');

test.describe('new app from a folder without a Dockerfile', () => {
  test('shows the build plan Slipway generates, creates, deploys and serves the app', async ({
    page,
    context,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(120_000);
    const name = appName('node');
    cleanupApps.push(name);
    const dir = path.join(scratch, name);
    await cp(NODE_APP, dir, { recursive: true });
    await replaceInFile(path.join(dir, 'app.yaml'), /^name: .*$/m, `name: ${name}`);
    // What the engine plans for this folder: the page must show the same.
    const expected = await engine.apps.planSpec({ specPath: dir });
    expect(expected.errors).toEqual([]);
    const [plan] = expected.plans;
    expect(plan?.recipe).toBe('node');
    expect(plan?.dockerfile).toContain('FROM node:20-bookworm-slim');

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2eEnv('origin') });
    await page.goto(e2eEnv('url'));
    await page.getByTestId('new-app').click();
    const dialog = page.getByTestId('new-app-dialog');
    await dialog.getByTestId('spec-path').fill(dir);

    const card = dialog.locator(`[data-testid="plan-component"][data-component="${plan!.component}"]`);
    await expect(card).toHaveAttribute('data-recipe', 'node');
    await expect(card.getByTestId('plan-recipe')).toHaveText('Node.js');
    await expect(card.getByTestId('plan-detected-by')).toHaveText(plan!.detectedBy);
    await expect(card.getByTestId('plan-version')).toHaveText('20, from package.json engines.node');
    await expect(card.getByTestId('plan-start')).toHaveText('npm start');
    await expect(card.getByTestId('plan-base-images')).toHaveText('node:20-bookworm-slim');
    // The generated Dockerfile, line for line, as text in a read-only block.
    const dockerfile = card.getByTestId('plan-dockerfile-text');
    expect(await dockerfile.evaluate((el) => el.textContent)).toBe(plan!.dockerfile);
    await expect(dockerfile.locator('textarea, input, [contenteditable]')).toHaveCount(0);
    await expect(card.getByTestId('plan-take-over')).toContainText(
      'save it as Dockerfile in the folder and set dockerfile_path',
    );
    await card.getByTestId('plan-dockerfile-copy').click();
    await expect(card.getByTestId('plan-dockerfile').getByRole('status')).toHaveText('Copied');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(plan!.dockerfile);
    await card.scrollIntoViewIfNeeded();
    await screenshots(page, testInfo, 'new-app-build-plan');

    await dialog.getByTestId('confirm').click();
    // A generated build's log prints its Dockerfile before building.
    await expect(page.getByRole('tab', { name: 'Build' })).toHaveAttribute('aria-selected', 'true');
    const live = await waitForLatest(engine, name, undefined, 100_000);
    expect(live.phase, live.error?.message).toBe('ACTIVE');
    const buildLog = (await engine.apps.readLogs({ app: name, type: 'build', deployment: live.id }))
      .map((l) => l.line)
      .join('\n');
    expect(buildLog).toContain('FROM node:20-bookworm-slim');
    await expect(page.getByTestId('app-status')).toHaveAttribute('data-status', 'live');

    // The app answers through the edge at its URL, served by `npm start` in the generated image.
    const url = (await engine.apps.get({ app: name })).components.find((c) => c.name === plan!.component)?.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await page.request.get(url!);
    expect(answer.status()).toBe(200);
    expect(await answer.text()).toContain('Hello from the Node fixture');

    // The app's Settings show the same plan, from its spec and folder.
    await page.getByRole('tab', { name: 'Settings', exact: true }).click();
    const settingsCard = page.locator(`[data-testid="plan-component"][data-component="${plan!.component}"]`);
    await expect(settingsCard).toHaveAttribute('data-recipe', 'node');
    expect(await settingsCard.getByTestId('plan-dockerfile-text').evaluate((el) => el.textContent)).toBe(
      plan!.dockerfile,
    );
    expect(pageProblems).toEqual([]);
  });
});
