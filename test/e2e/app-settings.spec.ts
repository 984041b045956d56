import Docker from 'dockerode';
import { e2eEnv } from './e2e-env';
import {
  appCard,
  appName,
  expect,
  expectNoMarkupRendered,
  HOSTILE_MARKUP,
  liveApp,
  openDetail,
  screenshots,
  terminalText,
  test,
  waitForPhase,
  writeApp,
} from './fixtures';

test.describe('app settings and engine text', () => {
  test('shows spec errors at their field, masks secrets, keeps them on save, and renders engine text as text', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(90_000);
    const name = appName('settings');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, {
      name,
      comment: HOSTILE_MARKUP,
      env: { GREETING: HOSTILE_MARKUP },
      secrets: { API_TOKEN: 'hunter2-very-secret' },
      dockerfile: `FROM busybox:stable\nRUN echo '${HOSTILE_MARKUP}'\nCOPY site/ /www/\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n`,
    });
    await liveApp(engine, dir);

    await page.goto(e2eEnv('url'));
    await openDetail(page, name);
    await expect(page.getByTestId('components-table')).toContainText('web');
    await expect(page.getByTestId('overview-live')).toContainText('manual');
    await screenshots(page, testInfo, 'detail-overview');

    // A build line carrying markup is drawn as text by the terminal.
    await page.getByRole('tab', { name: 'Logs' }).click();
    await expect.poll(() => terminalText(page)).toContain('<b id="hostile">bold</b>');

    await page.getByRole('tab', { name: 'Settings' }).click();
    const editor = page.getByTestId('spec-editor');
    await expect(editor).toHaveValue(/window\.__pwned=1/);
    const table = page.getByTestId('env-table');
    await expect(table.locator('tr[data-key="GREETING"]')).toContainText(HOSTILE_MARKUP);
    const secret = table.locator('tr[data-key="API_TOKEN"]');
    await expect(secret).toHaveAttribute('data-type', 'SECRET');
    await expect(secret).toContainText('Secret');
    await expect(secret).toContainText('••••••••');
    expect(await page.content()).not.toContain('hunter2-very-secret');
    await expectNoMarkupRendered(page);

    // A wrong value is marked at its field, by path and line, and cannot be saved.
    const spec = await editor.inputValue();
    await editor.fill(spec.replace('http_port: 8080', 'http_port: eighty'));
    const problem = page.getByTestId('spec-problems').locator('[data-path="services[0].http_port"]');
    await expect(problem).toHaveAttribute('data-severity', 'error');
    const line = spec.split('\n').findIndex((l) => l.includes('http_port')) + 1;
    await expect(problem).toContainText(`line ${line}`);
    await expect(page.locator('.spec-gutter .gutter-error')).toHaveText(String(line));
    await expect(page.getByTestId('save-spec')).toBeDisabled();
    await screenshots(page, testInfo, 'detail-settings-error');

    // Fixed and changed; the secret's mask goes back and the engine keeps the stored value.
    await editor.fill(spec.replace('value: "<img', 'value: "changed <img'));
    await expect(page.getByTestId('validation-state')).toHaveText('Valid');
    await expect(table.locator('tr[data-key="GREETING"]')).toContainText('changed <img');
    await page.getByTestId('save-spec').click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Saved the spec' })).toBeVisible();
    const saved = await engine.apps.get({ app: name });
    expect(saved.specYaml).toContain('changed <img');
    expect(saved.specYaml).toMatch(/key: API_TOKEN\s+value: "?\*{8}"?/);
    const redeployed = await waitForPhase(engine, name, (await engine.apps.deploy({ app: name })).id);
    expect(redeployed.phase).toBe('ACTIVE');
    const docker = new Docker({ socketPath: e2eEnv('dockerSocket') });
    const env = (await docker.getContainer(redeployed.containers.web![0]!).inspect()).Config.Env;
    expect(env).toContain('API_TOKEN=hunter2-very-secret');
    expect(env.find((e) => e.startsWith('GREETING='))).toContain('changed <img');

    // Delete, from its dialog: the name must be typed.
    await page.getByRole('button', { name: 'Delete app…' }).click();
    const dialog = page.getByTestId('delete-dialog');
    await expect(dialog.getByTestId('confirm')).toBeDisabled();
    await dialog.getByTestId('delete-confirm-name').fill(name);
    await screenshots(page, testInfo, 'dialog-delete');
    await dialog.getByTestId('confirm').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Apps');
    await expect(appCard(page, name)).toHaveCount(0);
    expect((await engine.apps.list({})).map((a) => a.name)).not.toContain(name);
    await expectNoMarkupRendered(page);
    expect(pageProblems).toEqual([]);
  });
});
