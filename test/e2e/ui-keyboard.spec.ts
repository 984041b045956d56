import path from 'node:path';
import { e2eEnv } from './e2e-env';
import { appName, expect, screenshots, test, writeApp } from './fixtures';

test.describe('keyboard and the new app dialog', () => {
  test('a pasted spec shows its errors and warnings before it is created; all of it by keyboard', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    const name = appName('pasted');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name });

    await page.goto(e2eEnv('url'));
    const newApp = page.getByTestId('new-app');
    await newApp.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('new-app-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('spec-path')).toBeFocused();

    // The mode tabs answer the arrow keys.
    await dialog.getByRole('tab', { name: 'Folder on this machine' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(dialog.getByRole('tab', { name: 'Git repository' })).toHaveAttribute('aria-selected', 'true');
    await expect(dialog.getByTestId('git-url')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(dialog.getByRole('tab', { name: 'Paste a spec' })).toHaveAttribute('aria-selected', 'true');

    await dialog
      .getByTestId('spec-yaml')
      .fill(`name: ${name}\nregion: nyc\nservices:\n  - name: web\n    http_port: eighty\n`);
    await dialog.getByTestId('source-path').fill(dir);
    const problems = dialog.getByTestId('spec-problems');
    await expect(problems.locator('[data-path="services[0].http_port"]')).toHaveAttribute('data-severity', 'error');
    await expect(problems.locator('[data-path="services[0].http_port"]')).toContainText('line 5');
    await expect(problems.locator('[data-path="region"]')).toHaveAttribute('data-severity', 'warning');
    await expect(dialog.getByTestId('confirm')).toBeDisabled();
    await dialog
      .getByTestId('spec-yaml')
      .fill(`name: ${name}\nregion: nyc\nservices:\n  - name: web\n    http_port: 8080\n`);
    await expect(dialog.getByTestId('validation-state')).toHaveText('Valid · 1 warning');
    await expect(problems.locator('[data-path="region"]')).toContainText('not to a region');
    await screenshots(page, testInfo, 'dialog-new-app-paste');

    // Focus stays inside the dialog: Tab from its last control comes back to its first.
    const inside = () =>
      page.evaluate<boolean>(`document.querySelector('dialog[open]').contains(document.activeElement)`);
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    await dialog.getByRole('checkbox', { name: /Deploy right away/ }).uncheck();
    await dialog.getByTestId('confirm').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
    const created = await engine.apps.get({ app: name });
    expect(created.sourcePath).toBe(path.resolve(dir));
    expect(created.warnings.map((w) => w.path)).toEqual(['region']);
    expect(await engine.apps.listDeployments({ app: name })).toEqual([]);

    // The detail's tabs move with the arrows; the actions menu opens, moves and closes by keyboard.
    await page.getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Activity' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByText('No deployments yet.')).toBeVisible();
    const actions = page.getByRole('button', { name: `Actions for ${name}` });
    await actions.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menuitem', { name: 'Deploy…', exact: true })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('menuitem', { name: 'Force rebuild and deploy…' })).toBeFocused();
    await page.keyboard.press('Enter');
    const rebuild = page.getByTestId('rebuild-dialog');
    await expect(rebuild).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(rebuild).toBeHidden();
    await expect(actions).toBeFocused();
    expect(await engine.apps.listDeployments({ app: name })).toEqual([]);
    expect(pageProblems).toEqual([]);
  });
});
