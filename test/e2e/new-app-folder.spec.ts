import { e2eEnv } from './e2e-env';
import { appName, expect, test, writeApp } from './fixtures';

test.describe('new app from a folder', () => {
  test('creates an app from its folder; in the desktop app the folder comes from the native picker', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }) => {
    const name = appName('folder');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name });

    // The browser host has no desktop shell: the path is typed, and no picker is offered.
    await page.goto(e2eEnv('url'));
    await page.getByTestId('new-app').click();
    const dialog = page.getByTestId('new-app-dialog');
    await expect(dialog.getByTestId('spec-path')).toBeVisible();
    await expect(dialog.getByTestId('spec-path-choose')).toHaveCount(0);

    // The desktop app's preload exposes the shell's picker as `slipwayDesktop` (its main-process side,
    // dialog.showOpenDialog, is unit-tested with Electron mocked): here a page script stands in for it.
    await page.addInitScript((folder: string) => {
      const requests: unknown[] = [];
      Object.assign(globalThis, {
        pickRequests: requests,
        slipwayDesktop: {
          pickFolder: async (request: unknown) => {
            requests.push(request);
            return folder;
          },
        },
      });
    }, dir);
    // Loaded afresh with its token (the page drops the token from its address once it has read it).
    await page.goto('about:blank');
    await page.goto(e2eEnv('url'));
    await page.getByTestId('new-app').click();
    await dialog.getByTestId('spec-path-choose').click();
    // The folder, not its app.yaml: the engine finds the spec in it.
    await expect(dialog.getByTestId('spec-path')).toHaveValue(dir);
    expect(await page.evaluate('window.pickRequests')).toEqual([{ title: 'App folder or spec file' }]);
    await dialog.getByRole('checkbox', { name: /Deploy right away/ }).uncheck();
    await dialog.getByTestId('confirm').click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
    const created = await engine.apps.get({ app: name });
    expect(created.sourcePath).toBe(dir);
    expect(pageProblems).toEqual([]);
  });
});
