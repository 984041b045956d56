import path from 'node:path';
import type { Page } from '@playwright/test';
import { e2eEnv } from './e2e-env';
import {
  appCard,
  appName,
  expect,
  liveApp,
  openDetail,
  screenshots,
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

test.describe('the rollback pin', () => {
  test('rolls back pinned from the dialog; the card and the dialog show the pin; Revert brings back the version before', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(180_000);
    const name = appName('pin');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name, page: 'version one\n', env: { GREETING: 'one' } });
    const v1 = await liveApp(engine, dir);
    await writeApp(scratch, { name, page: 'version two\n', env: { GREETING: 'two' } });
    const v2 = await waitForPhase(engine, name, (await engine.apps.deploy({ app: name })).id);
    expect(v2.phase).toBe('ACTIVE');
    const url = (await engine.apps.get({ app: name })).components[0]!.url!;

    // Roll back from the dialog, pinned (the default).
    await page.goto(e2eEnv('url'));
    await openCardAction(page, name, 'Roll back…');
    const dialog = page.getByTestId('rollback-dialog');
    await expect(dialog.getByRole('radio', { checked: true })).toHaveValue(v1.id);
    await expect(dialog.getByTestId('rollback-pin-option')).toBeChecked();
    await expect(dialog.getByTestId('rollback-pin')).toHaveCount(0);
    await dialog.getByTestId('confirm').click();
    await expect(dialog).toBeHidden();
    const rollback = await waitForLatest(engine, name);
    expect(rollback).toMatchObject({ phase: 'ACTIVE', plan: { type: 'rollback', target: v1.id, pin: 'set' } });
    expect(await (await page.request.get(url)).text()).toBe('version one\n');
    expect((await engine.apps.get({ app: name })).pinned).toEqual({
      deployment: rollback.id,
      target: v1.id,
      previous: v2.id,
    });

    // The card shows the pin with Commit and Revert.
    const cardPin = appCard(page, name).getByTestId('rollback-pin');
    await expect(cardPin).toContainText(`Pinned to rollback ${rollback.id}`);
    await expect(cardPin.getByTestId('pin-commit')).toBeEnabled();
    await expect(cardPin.getByTestId('pin-revert')).toBeEnabled();
    await screenshots(page, testInfo, 'card-pinned');

    // Overview: the pin, and the file that differs from the pinned spec.
    await openDetail(page, name);
    await expect(page.getByTestId('rollback-pin')).toContainText(`Pinned to rollback ${rollback.id}`);
    await expect(page.getByTestId('rollback-pin')).toContainText(`back to ${v2.id}`);
    await expect(page.getByTestId('spec-file-note')).toHaveText('app.yaml changed: 1 field. The next deploy reads it.');
    await expect(page.getByTestId('spec-file-note')).toHaveAttribute('title', path.join(dir, 'app.yaml'));

    // A deploy while pinned is refused, saying how to go on.
    await page.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Deploy…', exact: true }).click();
    const deploy = page.getByTestId('deploy-dialog');
    await expect(deploy.getByTestId('rollback-pin')).toBeVisible();
    await deploy.getByTestId('confirm').click();
    await expect(deploy).toContainText('ROLLBACK_PINNED');
    await expect(deploy).toContainText(`slipway apps revert-rollback ${name}`);
    await deploy.getByRole('button', { name: 'Close', exact: true }).first().click();

    // The Rollback dialog shows the pin too; Revert from there.
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await openCardAction(page, name, 'Roll back…');
    const pinned = page.getByTestId('rollback-dialog');
    await expect(pinned.getByTestId('rollback-pin')).toContainText(`Pinned to rollback ${rollback.id}`);
    await expect(pinned.getByTestId('pin-commit')).toBeVisible();
    await expect(pinned.getByRole('radio', { checked: true })).toBeVisible();
    await screenshots(page, testInfo, 'dialog-rollback-pinned');
    await pinned.getByTestId('pin-revert').click();
    const revert = page.getByTestId('revert-rollback-dialog');
    await expect(revert).toContainText(`the version live before rollback ${rollback.id}`);
    await expect(revert.getByTestId('confirm')).toHaveText(`Revert to ${v2.id}`);
    await screenshots(page, testInfo, 'dialog-revert-rollback');
    await revert.getByTestId('confirm').click();
    await expect(revert).toBeHidden();

    const reverted = await waitForLatest(engine, name);
    expect(reverted).toMatchObject({ phase: 'ACTIVE', plan: { type: 'rollback', target: v2.id, pin: 'clear' } });
    expect(reverted.images.web!.id).toBe(v2.images.web!.id);
    expect(reverted.images.web!.built).toBe(false);
    expect(await (await page.request.get(url)).text()).toBe('version two\n');
    await expect(appCard(page, name).getByTestId('rollback-pin')).toHaveCount(0);
    expect((await engine.apps.get({ app: name })).pinned).toBeUndefined();
    expect(pageProblems).toEqual([]);
  });
});
