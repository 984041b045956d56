import { stat } from 'node:fs/promises';
import path from 'node:path';
import { e2eEnv } from './e2e-env';
import { expect, screenshots, test } from './fixtures';

test.describe('settings', () => {
  test("shows where the engine keeps its state, and keeps the user's notification choice", async ({
    page,
    context,
    engine,
    pageProblems,
  }, testInfo) => {
    await context.grantPermissions(['notifications'], { origin: e2eEnv('origin') });
    await page.goto(e2eEnv('url'));
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');

    // The folders are the engine's own: the scratch data folder global setup gave it.
    const storage = await engine.system.storage({});
    const dataDir = e2eEnv('dataDir');
    expect(storage.dataDir).toBe(dataDir);
    await expect(page.getByTestId('storage-data')).toHaveText(dataDir);
    await expect(page.getByTestId('storage-logs')).toHaveText(path.join(dataDir, 'logs'));
    await expect(page.getByTestId('storage-engine-log')).toHaveText(path.join(dataDir, 'engine.log'));
    await expect(page.getByTestId('storage-key')).toHaveText(storage.keyFile!);
    expect(((await stat(storage.keyFile!)).mode & 0o777).toString(8), 'the key file is private').toBe('600');
    expect(((await stat(dataDir)).mode & 0o777).toString(8), 'the data folder is private').toBe('700');
    await expect(page.getByTestId('storage-retention')).toContainText(`${storage.retainedDeployments} most recent`);
    expect(storage.retainedDeployments).toBe(10);

    await expect(page.getByTestId('notification-permission')).toHaveAttribute('data-permission', 'granted');
    const wanted = page.getByTestId('notifications-wanted');
    await expect(wanted).toBeChecked();
    await screenshots(page, testInfo, 'settings');

    // Turned off, it stays off in the next window.
    await wanted.uncheck();
    await page.reload();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(page.getByTestId('notifications-wanted')).not.toBeChecked();
    await page.getByTestId('notifications-wanted').check();
    await page.reload();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect(page.getByTestId('notifications-wanted')).toBeChecked();
    expect(pageProblems).toEqual([]);
  });
});
