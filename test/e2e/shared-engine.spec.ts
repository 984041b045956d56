import path from 'node:path';
import { runSlipway, startSlipway } from '../support/slipway-process';
import { e2eEnv } from './e2e-env';
import { appCard, appName, expect, openDetail, terminalText, test, waitForLatest, writeApp } from './fixtures';

/**
 * A build slow enough to watch: it prints "<marker> begins", takes a few
 * seconds, then prints "<marker> done". Neither phrase is in the command
 * itself (which the build log shows too), only in its output.
 */
const slowDockerfile = (marker: string) =>
  [
    'FROM busybox:stable',
    `RUN echo "${marker}" | sed 's/$/ begins/' && sleep 3 && echo "${marker}" | sed 's/$/ done/'`,
    'COPY site/ /www/',
    'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
    '',
  ].join('\n');

/**
 * The window and the CLI are front ends of one engine: what one starts, the
 * other sees at once. The CLI here is the built `slipway`, run as a user would
 * in a terminal, on the data folder of the engine the page talks to.
 */
test.describe('one engine for the window and the CLI', () => {
  test('a CLI deploy shows live in the window, and a window deploy is followed by the CLI', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }) => {
    test.setTimeout(120_000);
    const name = appName('shared');
    cleanupApps.push(name);
    const dataDir = e2eEnv('dataDir');
    const dir = await writeApp(scratch, { name, dockerfile: slowDockerfile('from-the-cli') });
    await page.goto(e2eEnv('url'));
    await expect(page.locator('.engine-indicator')).toContainText('Engine running');

    // Created and deployed in a terminal: the window shows both within a second.
    const created = await runSlipway(dataDir, ['apps', 'create', '--spec', path.join(dir, 'app.yaml')]);
    expect(created.code, created.err).toBe(0);
    const card = appCard(page, name);
    await expect(card).toBeVisible({ timeout: 1_000 });
    const deployed = await runSlipway(dataDir, ['apps', 'deploy', name]);
    expect(deployed.code, deployed.err).toBe(0);
    await expect(card.getByTestId('app-status')).toHaveAttribute('data-status', 'deploying', { timeout: 1_000 });
    await openDetail(page, name, 'Logs');
    await expect.poll(() => terminalText(page), { timeout: 5_000 }).toContain('from-the-cli begins');
    const cliDeployment = await waitForLatest(engine, name);
    expect(cliDeployment.phase, cliDeployment.error?.message).toBe('ACTIVE');
    await expect.poll(() => terminalText(page)).toContain('from-the-cli done');

    // Deployed from the window: a terminal follows its build log as it is written.
    await writeApp(scratch, { name, dockerfile: slowDockerfile('from-the-window') });
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await card.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Deploy…', exact: true }).click();
    await page.getByTestId('deploy-dialog').getByTestId('confirm').click();
    await expect(card.getByTestId('app-status')).toHaveAttribute('data-status', 'deploying');
    const follower = startSlipway(dataDir, ['apps', 'logs', name, '--type', 'build', '--follow']);
    try {
      await follower.printed(/from-the-window done/, 30_000);
    } finally {
      follower.interrupt();
    }
    const ended = await follower.exited;
    expect(ended.code, ended.err).toBe(0);
    expect(ended.out).toMatch(/^web \| from-the-window begins$/m);
    const windowDeployment = await waitForLatest(engine, name);
    expect(windowDeployment.id).not.toBe(cliDeployment.id);
    expect(windowDeployment.phase, windowDeployment.error?.message).toBe('ACTIVE');
    expect(pageProblems).toEqual([]);
  });
});
