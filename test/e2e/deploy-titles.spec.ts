import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { e2eEnv } from './e2e-env';
import {
  activityRow,
  appName,
  expect,
  expectNoMarkupRendered,
  liveApp,
  openDetail,
  screenshots,
  test,
  waitForLatest,
  writeApp,
} from './fixtures';

test.describe('deployment titles and descriptions in the window', () => {
  test('deploys from the Deploy dialog with a title and a note; Activity shows them as text, and the files changed', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(120_000);
    const name = appName('titles');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name, page: 'v1\n' });
    const first = await liveApp(engine, dir);
    // The user edits one file of the folder before deploying again.
    await writeFile(path.join(dir, 'site', 'index.html'), 'v2\n');

    const title = 'Release <b>x</b>';
    const description = 'Fixes the <i>login</i> page\nand the footer';
    await page.goto(e2eEnv('url'));
    await openDetail(page, name);
    await page.getByTestId('deploy-button').click();
    const dialog = page.getByTestId('deploy-dialog');
    await expect(dialog.getByTestId('deploy-title')).toHaveAttribute('placeholder', 'Manual deployment');
    await dialog.getByTestId('deploy-title').fill(title);
    await dialog.getByTestId('deploy-description').fill(description);
    await screenshots(page, testInfo, 'dialog-deploy-title');
    await dialog.getByTestId('confirm').click();
    await expect(dialog).toBeHidden();

    const second = await waitForLatest(engine, name);
    expect(second).toMatchObject({ phase: 'ACTIVE', title, description });
    expect(second.id).not.toBe(first.id);
    expect(second.source).toMatchObject({ kind: 'folder', filesChanged: 1 });
    expect(first.title).toBe('Manual deployment');

    await page.getByRole('tab', { name: 'Activity', exact: true }).click();
    const row = activityRow(page, second.id);
    // Shown literally: the markup in the title and the note is text, never elements.
    await expect(row.getByTestId('activity-title')).toHaveText(title);
    await expect(row.getByTestId('activity-meta')).toHaveText('1 file changed · Fixes the <i>login</i> page');
    await expect(page.locator('b', { hasText: /^x$/ })).toHaveCount(0);
    await expect(activityRow(page, first.id).getByTestId('activity-title')).toHaveText('Manual deployment');
    await expect(activityRow(page, first.id).getByTestId('activity-meta')).toHaveText('3 files');

    await row.getByRole('button').first().click();
    const detail = page.locator(`[data-testid="deployment-detail"][data-deployment="${second.id}"]`);
    await expect(detail.getByTestId('deployment-description')).toHaveText(description);
    await expect(detail.getByTestId('deployment-description').locator('i')).toHaveCount(0);
    await expect(detail.getByTestId('deployment-source')).toHaveText('1 file changed');
    await expectNoMarkupRendered(page);
    await screenshots(page, testInfo, 'activity-titles');

    // The Rollback dialog lists the earlier deployment by its title and source.
    await activityRow(page, first.id).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Roll back to this…' }).click();
    const rollback = page.getByTestId('rollback-dialog');
    await expect(rollback.getByTestId('rollback-targets')).toContainText('Manual deployment');
    await expect(rollback.getByTestId('target-source')).toHaveText('3 files');
    await rollback.getByRole('button', { name: 'Close', exact: true }).first().click();

    // The deploy log starts with the title and the note.
    const [heading] = await engine.apps.readLogs({ app: name, type: 'deploy', deployment: second.id });
    expect(heading?.line).toBe(`${title}: Fixes the <i>login</i> page`);
    expect(pageProblems).toEqual([]);
  });

  test('shows a queue entry dropped by Clean queue as dropped, by whom, with no duration', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }) => {
    test.setTimeout(120_000);
    const name = appName('dropped');
    cleanupApps.push(name);
    // The build is held in its RUN step until it is canceled, so the next deploys wait in the queue.
    const dir = await writeApp(scratch, {
      name,
      dockerfile:
        'FROM busybox:stable\nCOPY site/ /www/\nRUN sleep 120\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n',
    });
    await engine.apps.create({ specPath: path.join(dir, 'app.yaml') });
    const running = await engine.apps.deploy({ app: name, title: 'Held build' });
    const waiting = await engine.apps.deploy({ app: name, title: 'Waits its turn' });

    await page.goto(e2eEnv('url'));
    await openDetail(page, name);
    await page.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Deployment queue…' }).click();
    const queue = page.getByTestId('queue-dialog');
    await queue.getByTestId('clean-queue').click();
    await expect(queue).toContainText('Nothing is waiting.');
    await queue.getByRole('button', { name: 'Close', exact: true }).first().click();
    await engine.apps.cancel({ app: name, by: 'e2e' });

    await page.getByRole('tab', { name: 'Activity', exact: true }).click();
    const row = activityRow(page, waiting.id);
    await expect(row).toHaveAttribute('data-phase', 'DROPPED');
    await expect(row.getByTestId('activity-title')).toHaveText('Waits its turn');
    await expect(row.getByTestId('activity-meta')).toHaveText('Dropped from the queue by desktop');
    await expect(row.locator('.activity-duration')).toHaveText('—');
    await expect(activityRow(page, running.id)).toHaveAttribute('data-phase', 'CANCELED');
    await row.getByRole('button').first().click();
    await expect(page.getByTestId('deployment-dropped')).toContainText('Dropped from the queue by desktop');
    expect(pageProblems).toEqual([]);
  });
});
