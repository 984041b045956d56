import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Page } from '@playwright/test';
import Docker from 'dockerode';
import { TTY_MARKER_ENV } from '../../src/main/engine/docker/tty-exec';
import { e2eEnv } from './e2e-env';
import { appName, expect, liveApp, openDetail, screenshots, test } from './fixtures';

/** An app with a PostgreSQL 15 database and a tiny busybox service (images the e2e setup has). */
async function writeDatabaseApp(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(dir, { recursive: true });
  const spec = [
    `name: ${name}`,
    'databases:',
    '  - name: db',
    '    engine: PG',
    '    version: "15"',
    'services:',
    '  - name: web',
    '    image:',
    '      registry_type: DOCKER_HUB',
    '      repository: busybox',
    '      tag: stable',
    '    http_port: 8080',
    '    run_command: httpd -f -p 8080',
    '    envs:',
    '      - key: DATABASE_URL',
    '        value: ${db.DATABASE_URL}',
  ];
  await writeFile(path.join(dir, 'app.yaml'), `${spec.join('\n')}\n`);
  return dir;
}

/** The text the shell's terminal shows now (its visible rows). */
const shellText = (page: Page) => page.getByTestId('db-shell-terminal').locator('.xterm-rows').innerText();

/** The processes of a database shell still running in the database's container (the engine marks them). */
async function shellProcesses(docker: Docker, app: string): Promise<string> {
  const [db] = await docker.listContainers({
    filters: { label: [`dev.slipway.app=${app}`, 'dev.slipway.database=db'] },
  });
  const exec = await docker.getContainer(db!.Id).exec({
    Cmd: ['sh', '-c', `grep -l ${TTY_MARKER_ENV} /proc/[0-9]*/environ 2>/dev/null || true`],
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: false, Tty: true })) as Duplex;
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => stream.once('end', resolve));
  return out.trim();
}

test.describe('an app with a database', () => {
  test('lists it on the Overview, opens psql in it, shows its credentials on request, and deletes its data when asked', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(180_000);
    const name = appName('db');
    cleanupApps.push(name);
    await liveApp(engine, await writeDatabaseApp(scratch, name));
    const docker = new Docker({ socketPath: e2eEnv('dockerSocket') });
    const volume = `slipway-${name}-db-data`;

    await page.goto(e2eEnv('url'));
    await openDetail(page, name);
    const row = page.locator('[data-testid="database-row"][data-db="db"]');
    await expect(row.getByTestId('db-health')).toHaveAttribute('data-health', 'healthy');
    await expect(row).toContainText('PG 15');
    await expect(row).toContainText(volume);
    const [listed] = await engine.databases.list({ app: name });
    expect(listed).toMatchObject({ name: 'db', health: 'healthy', volume });

    // The shell: psql's prompt, a query and its answer, typed into the terminal.
    await row.getByTestId('db-open-shell').click();
    const shell = page.getByTestId('db-shell');
    await expect(shell).toHaveAttribute('data-state', 'open');
    await expect.poll(() => shellText(page)).toMatch(/^db=#\s/m);
    await page.getByTestId('db-shell-terminal').click();
    await page.keyboard.type('select 40+2 as answer;');
    await page.keyboard.press('Enter');
    await expect.poll(() => shellText(page)).toMatch(/answer\s+-+\s+42\s+\(1 row\)/);
    expect(await shellProcesses(docker, name)).not.toBe('');
    await screenshots(page, testInfo, 'database-shell');
    // Closed, its psql is hung up in the container.
    await shell.getByTestId('db-shell-close').click();
    await expect(shell).toHaveCount(0);
    await expect.poll(() => shellProcesses(docker, name), { timeout: 15_000 }).toBe('');
    // Opened again, a new session; psql's own \q ends it, and the panel says so.
    await row.getByTestId('db-open-shell').click();
    await expect(shell).toHaveAttribute('data-state', 'open');
    await expect.poll(() => shellText(page)).toMatch(/^db=#\s/m);
    await page.getByTestId('db-shell-terminal').click();
    await page.keyboard.type('\\q');
    await page.keyboard.press('Enter');
    await expect(shell).toHaveAttribute('data-state', 'ended');
    await expect(shell.getByTestId('db-shell-status')).toHaveText('Ended: The client exited with code 0.');
    await shell.getByTestId('db-shell-close').click();

    // Credentials: masked until the user confirms, then what the engine gives.
    await row.getByTestId('db-show-credentials').click();
    const dialog = page.getByTestId('db-credentials-dialog');
    const password = dialog.getByTestId('db-credential-password');
    await expect(password).toHaveText('••••••••••••');
    const { password: secret, url } = await engine.databases.credentials({ app: name, db: 'db' });
    await expect(page.getByText(secret)).toHaveCount(0);
    await dialog.getByTestId('confirm').click();
    await expect(password).toHaveText(secret);
    await expect(dialog.getByTestId('db-credential-url')).toHaveText(url);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText(secret)).toHaveCount(0);

    // Deleting names the volume it keeps, and deletes it only when asked.
    await page.getByRole('tab', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'Delete app…' }).click();
    const del = page.getByTestId('delete-dialog');
    await expect(del.getByTestId('delete-volumes')).toContainText(`Its data is kept, on ${volume}`);
    await del.getByTestId('delete-data').check();
    await expect(del).toContainText(`Also delete the data (volumes ${volume})`);
    await expect(del.getByTestId('delete-volumes')).toContainText(`Its data is deleted: ${volume}`);
    await del.getByTestId('delete-confirm-name').fill(name);
    await del.getByTestId('confirm').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Apps');
    await expect(page.getByTestId('toast').filter({ hasText: `Deleted its data: ${volume}` })).toBeVisible();
    await expect(docker.getVolume(volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(pageProblems).toEqual([]);
  });
});
