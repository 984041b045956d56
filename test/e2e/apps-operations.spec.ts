import path from 'node:path';
import type { Page } from '@playwright/test';
import Docker from 'dockerode';
import { e2eEnv } from './e2e-env';
import {
  activityRow,
  appCard,
  appName,
  expect,
  liveApp,
  openDetail,
  replaceInFile,
  screenshots,
  terminalText,
  test,
  waitForLatest,
  waitForPhase,
  writeApp,
} from './fixtures';

async function openCardAction(page: Page, app: string, action: string) {
  await appCard(page, app)
    .getByRole('button', { name: `Actions for ${app}` })
    .click();
  await page.getByRole('menuitem', { name: action }).click();
}

async function detailAction(page: Page, app: string, action: string) {
  await page.getByRole('button', { name: `Actions for ${app}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

/** The last line the log view's terminal shows, and how often a text appears in it. */
async function terminalEnd(page: Page): Promise<{ last: string | undefined; count(text: string): number }> {
  const text = (await terminalText(page)).replaceAll('\u00a0', ' ');
  const rows = text.split('\n').map((row) => row.trimEnd());
  return { last: rows.filter(Boolean).at(-1), count: (t) => text.split(t).length - 1 };
}

test.describe('app operations through their dialogs', () => {
  test('restarts one component of two: only its containers are replaced', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    const name = appName('restart');
    cleanupApps.push(name);
    const before = await liveApp(engine, await writeApp(scratch, { name, worker: true }));
    const [oldWeb] = before.containers.web!;
    const [oldTicker] = before.containers.ticker!;

    await page.goto(e2eEnv('url'));
    await openCardAction(page, name, 'Restart…');
    const dialog = page.getByTestId('restart-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('restart-pick').check();
    await dialog.getByRole('checkbox', { name: /^web/ }).check();
    await expect(dialog).toContainText('ticker keeps its containers');
    await expect(dialog.getByTestId('confirm')).toHaveText('Restart web');
    await screenshots(page, testInfo, 'dialog-restart');
    await dialog.getByTestId('confirm').click();
    await expect(dialog).toBeHidden();

    const restart = await waitForLatest(engine, name);
    expect(restart).toMatchObject({
      phase: 'ACTIVE',
      cause: 'restart',
      plan: { type: 'restart', components: ['web'] },
    });
    expect(restart.containers.web).toHaveLength(1);
    expect(restart.containers.web![0]).not.toBe(oldWeb);
    expect(restart.containers.ticker).toEqual([oldTicker]);
    const docker = new Docker({ socketPath: e2eEnv('dockerSocket') });
    expect((await docker.getContainer(oldTicker!).inspect()).State.Running).toBe(true);

    await expect(appCard(page, name).getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    await expect(appCard(page, name).getByTestId('live-deployment')).toContainText('restart');
    await openDetail(page, name, 'Activity');
    await expect(activityRow(page, restart.id)).toHaveAttribute('data-phase', 'ACTIVE');
    await expect(activityRow(page, restart.id)).toContainText('restart');
    await expect(activityRow(page, restart.id).getByTestId('live-marker')).toBeVisible();
    await expect(activityRow(page, before.id)).toHaveAttribute('data-phase', 'SUPERSEDED');
    await activityRow(page, restart.id).getByRole('button').first().click();
    await expect(page.getByTestId('deployment-detail').locator('[data-step="deploy.web"]')).toHaveAttribute(
      'data-status',
      'SUCCESS',
    );
    await screenshots(page, testInfo, 'detail-activity');
    expect(pageProblems).toEqual([]);
  });

  test('force rebuilds without the build cache and deploys', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    const name = appName('rebuild');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, {
      name,
      dockerfile:
        'FROM busybox:stable\nRUN echo "layer $((20 + 1))"\nCOPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    });
    const first = await liveApp(engine, dir);

    await page.goto(e2eEnv('url'));
    await openDetail(page, name);
    await detailAction(page, name, 'Force rebuild and deploy…');
    const dialog = page.getByTestId('rebuild-dialog');
    await dialog.getByTestId('clear-cache').check();
    await expect(dialog).toContainText("Docker's layer cache is not used");
    await expect(dialog.getByTestId('confirm')).toHaveText('Rebuild without cache and deploy');
    await screenshots(page, testInfo, 'dialog-rebuild');
    await dialog.getByTestId('confirm').click();

    // The detail page follows the new build.
    await expect(page.getByRole('tab', { name: 'Build' })).toHaveAttribute('aria-selected', 'true');
    const rebuilt = await waitForLatest(engine, name);
    expect(rebuilt.id).not.toBe(first.id);
    expect(rebuilt).toMatchObject({
      phase: 'ACTIVE',
      cause: 'force rebuild',
      options: { forceRebuild: true, clearCache: true },
    });
    expect(rebuilt.images.web?.built).toBe(true);
    const log = await engine.apps.readLogs({ app: name, type: 'build', deployment: rebuilt.id });
    expect(
      log.some((l) => l.line === 'layer 21'),
      'the RUN step ran again',
    ).toBe(true);
    expect(log.some((l) => l.line.includes('Using cache'))).toBe(false);
    await expect.poll(() => terminalText(page)).toContain('Successfully tagged');

    await page.getByRole('tab', { name: 'Activity' }).click();
    await expect(activityRow(page, rebuilt.id)).toHaveAttribute('data-phase', 'ACTIVE');
    await expect(activityRow(page, rebuilt.id)).toContainText('force rebuild');
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await expect(appCard(page, name).getByTestId('live-deployment')).toContainText('force rebuild');
    expect(pageProblems).toEqual([]);
  });

  test('rolls back from the dialog after showing the spec diff and what changes', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    const name = appName('rollback');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name, page: 'version one\n', env: { GREETING: 'one' } });
    const v1 = await liveApp(engine, dir);
    await writeApp(scratch, { name, page: 'version two\n', env: { GREETING: 'two', EXTRA: 'x' } });
    await engine.apps.update({ app: name, specPath: path.join(dir, 'app.yaml') });
    const v2 = await waitForPhase(engine, name, (await engine.apps.deploy({ app: name })).id);
    expect(v2.phase).toBe('ACTIVE');
    const url = (await engine.apps.get({ app: name })).components[0]!.url!;
    expect((await page.request.get(url)).ok()).toBe(true);
    expect(await (await page.request.get(url)).text()).toBe('version two\n');

    await page.goto(e2eEnv('url'));
    await openDetail(page, name, 'Activity');
    await activityRow(page, v1.id).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Roll back to this…' }).click();
    const dialog = page.getByTestId('rollback-dialog');
    await expect(dialog.getByRole('radio', { checked: true })).toHaveValue(v1.id);
    const diff = dialog.getByTestId('rollback-diff');
    await expect(diff.locator('[data-kind="del"]').filter({ hasText: 'two' })).toHaveCount(1);
    await expect(diff.locator('[data-kind="add"]').filter({ hasText: 'one' })).toHaveCount(1);
    await expect(diff.locator('[data-kind="del"]').filter({ hasText: 'EXTRA' })).toHaveCount(1);
    const summary = dialog.getByTestId('rollback-summary');
    await expect(summary).toContainText('removed');
    await expect(summary).toContainText('web · EXTRA');
    await expect(summary).toContainText('changed');
    await expect(summary).toContainText('web · GREETING');
    await expect(summary).toContainText(v1.images.web!.id.replace('sha256:', '').slice(0, 12));
    await screenshots(page, testInfo, 'dialog-rollback');
    await dialog.getByTestId('confirm').click();
    await expect(dialog).toBeHidden();

    const rollback = await waitForLatest(engine, name);
    expect(rollback).toMatchObject({
      phase: 'ACTIVE',
      cause: `rollback to ${v1.id}`,
      plan: { type: 'rollback', target: v1.id },
    });
    expect(await (await page.request.get(url)).text()).toBe('version one\n');
    await expect(activityRow(page, rollback.id)).toHaveAttribute('data-phase', 'ACTIVE');
    await expect(activityRow(page, rollback.id)).toContainText(`rollback to ${v1.id}`);
    await expect(activityRow(page, v2.id)).toHaveAttribute('data-phase', 'SUPERSEDED');
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await expect(appCard(page, name).getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    await expect(appCard(page, name).getByTestId('live-deployment')).toContainText('rollback to');
    expect(pageProblems).toEqual([]);
  });

  test('cancels a slow build: the engine ends it CANCELED and the live version keeps serving', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    const name = appName('cancel');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name, page: 'still here\n' });
    const live = await liveApp(engine, dir);
    await replaceInFile(
      path.join(dir, 'Dockerfile'),
      /^FROM busybox:stable$/m,
      'FROM busybox:stable\nRUN echo "slow $((3 * 3))" && sleep 60',
    );

    await page.goto(e2eEnv('url'));
    await openDetail(page, name);
    await page.getByTestId('deploy-button').click();
    const deployDialog = page.getByTestId('deploy-dialog');
    await expect(deployDialog).toContainText('keeps serving');
    await screenshots(page, testInfo, 'dialog-deploy');
    await deployDialog.getByTestId('confirm').click();
    await expect.poll(() => terminalText(page), { timeout: 30_000 }).toContain('slow 9');
    const slow = await waitForLatest(engine, name, ['BUILDING']);
    await expect(page.getByTestId('app-status')).toHaveAttribute('data-phase', 'BUILDING');

    await detailAction(page, name, 'Cancel deployment…');
    const dialog = page.getByTestId('cancel-dialog');
    await expect(dialog).toContainText(slow.id);
    await expect(dialog).toContainText('stays live and keeps serving');
    await screenshots(page, testInfo, 'dialog-cancel');
    await dialog.getByTestId('confirm').click();
    await expect(dialog).toBeHidden();

    const canceled = await engine.apps.getDeployment({ app: name, deployment: slow.id });
    expect(canceled).toMatchObject({ phase: 'CANCELED', canceled: { by: 'desktop' } });
    expect((await engine.apps.get({ app: name })).liveDeployment?.id).toBe(live.id);
    const url = (await engine.apps.get({ app: name })).components[0]!.url!;
    expect(await (await page.request.get(url)).text()).toBe('still here\n');
    // The build log the detail page follows ends with one closing line saying who canceled it.
    const canceledLine = 'Build canceled by desktop; the previous version is still live.';
    await expect.poll(async () => (await terminalEnd(page)).last).toBe(canceledLine);
    expect((await terminalEnd(page)).count('Build canceled by')).toBe(1);

    await expect(page.getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    await page.getByRole('tab', { name: 'Activity' }).click();
    await expect(activityRow(page, slow.id)).toHaveAttribute('data-phase', 'CANCELED');
    await expect(activityRow(page, live.id).getByTestId('live-marker')).toBeVisible();
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await expect(appCard(page, name).getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    expect(pageProblems).toEqual([]);
  });

  test('shows the queue and cleans it, kills a build, and clears old deployments', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    const name = appName('queue');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name });
    await liveApp(engine, dir);
    await replaceInFile(
      path.join(dir, 'Dockerfile'),
      /^FROM busybox:stable$/m,
      'FROM busybox:stable\nRUN echo "long $((5 * 5))" && sleep 60',
    );
    const running = await engine.apps.deploy({ app: name });
    const waiting = [await engine.apps.deploy({ app: name }), await engine.apps.deploy({ app: name })];
    await waitForPhase(engine, name, running.id, ['BUILDING']);

    await page.goto(e2eEnv('url'));
    await openCardAction(page, name, 'Deployment queue…');
    const queue = page.getByTestId('queue-dialog');
    await expect(queue.getByTestId('queue-waiting').locator('li')).toHaveCount(2);
    await expect(queue).toContainText(running.id);
    await screenshots(page, testInfo, 'dialog-queue');
    await queue.getByTestId('clean-queue').click();
    await expect(queue).toContainText('Nothing is waiting.');
    expect((await engine.apps.queue({ app: name })).waiting).toEqual([]);
    for (const w of waiting) {
      expect(await engine.apps.getDeployment({ app: name, deployment: w.id })).toMatchObject({
        phase: 'DROPPED',
        dropped: { by: 'desktop' },
      });
    }
    await queue.getByRole('button', { name: 'Close', exact: true }).first().click();

    await openCardAction(page, name, 'Kill build…');
    const kill = page.getByTestId('kill-dialog');
    await expect(kill).toContainText('ends in ERROR');
    // The safe choice has the focus: Enter alone does not kill anything.
    await expect(kill.getByRole('button', { name: 'Keep building' })).toBeFocused();
    await screenshots(page, testInfo, 'dialog-kill');
    await kill.getByTestId('confirm').click();
    await expect(kill).toBeHidden();
    const killed = await engine.apps.getDeployment({ app: name, deployment: running.id });
    expect(killed.phase).toBe('ERROR');
    expect(killed.error?.code).toBe('BUILD_KILLED');
    await expect(appCard(page, name).getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    // The Logs tab's build log of the killed deployment ends with one closing line saying who killed it.
    await openDetail(page, name, 'Logs');
    await page.getByTestId('log-deployment').selectOption(running.id);
    await expect(page.getByTestId('log-status')).toHaveText('Complete');
    const killedLine = 'Build killed by desktop; the previous version is still live.';
    await expect.poll(async () => (await terminalEnd(page)).last).toBe(killedLine);
    expect((await terminalEnd(page)).count('Build killed by')).toBe(1);
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();

    await openCardAction(page, name, 'Clear old deployments…');
    const clear = page.getByTestId('clear-dialog');
    const doomed = [running.id, ...waiting.map((w) => w.id)].sort();
    await expect(clear.getByTestId('clear-list').locator('li')).toHaveCount(3);
    const listed = await clear
      .getByTestId('clear-list')
      .locator('li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-deployment') ?? ''));
    expect(listed.sort()).toEqual(doomed);
    await screenshots(page, testInfo, 'dialog-clear');
    await clear.getByTestId('confirm').click();
    await expect(clear).toBeHidden();
    const left = (await engine.apps.listDeployments({ app: name })).map((d) => d.id);
    for (const id of doomed) expect(left).not.toContain(id);
    expect(left).toHaveLength(1);
    await openDetail(page, name, 'Activity');
    await expect(page.getByTestId('activity-row')).toHaveCount(1);
    expect(pageProblems).toEqual([]);
  });
});
