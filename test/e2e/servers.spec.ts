import { readFile, writeFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import Docker from 'dockerode';
import { LABELS } from '../../src/shared/labels';
import { ensureBusyboxImage } from '../support/busybox-image';
import { removeSlipwayResources } from '../support/cleanup';
import { gitInitAndCommit, helloCopy } from '../support/deploy-fixtures';
import {
  killSshd,
  restartSshd,
  startRemoteServers,
  stopRemoteServers,
  type RemoteServer,
} from '../support/remote-servers';
import { e2eEnv } from './e2e-env';
import {
  activityRow,
  appCard,
  appName,
  connectEngine,
  expect,
  openDetail,
  screenshots,
  test,
  waitForLatest,
  type EngineClient,
} from './fixtures';

// One throwaway server (its own sshd and dockerd on loopback) for the tests below, in order.
test.describe.configure({ mode: 'serial' });

const SERVER = 'e2e-staging';

/** sshd's log lines about authentication: none may appear before the host key is trusted. */
async function authLines(server: RemoteServer): Promise<string[]> {
  return (await readFile(server.sshdLogPath, 'utf8')).split('\n').filter((l) => /Accepted|publickey/.test(l));
}

function serverCard(page: Page): Locator {
  return page.locator(`[data-testid="server-card"][data-server="${SERVER}"]`);
}

/** Removes the servers this file added (after their apps: the fixture deletes those first). */
async function forgetServers(engine: EngineClient): Promise<void> {
  for (const server of await engine.servers.list({}).catch(() => [])) {
    if (server.name.startsWith('e2e-')) await engine.servers.remove({ name: server.name }).catch(() => undefined);
  }
}

test.describe('servers', () => {
  let remote: RemoteServer;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    [remote] = (await startRemoteServers(1)) as [RemoteServer];
    // The engine reads this file as ~/.ssh/config: the server is offered as a suggestion.
    await writeFile(
      e2eEnv('sshConfig'),
      [
        `Host ${SERVER}`,
        `  HostName ${remote.host}`,
        `  Port ${remote.port}`,
        '  User root',
        `  IdentityFile ${remote.privateKeyPath}`,
        '',
      ].join('\n'),
    );
  });

  test.afterAll(async () => {
    const { client, close } = await connectEngine();
    try {
      await forgetServers(client);
    } finally {
      close();
    }
    await writeFile(e2eEnv('sshConfig'), '').catch(() => undefined);
    if (remote) await stopRemoteServers([remote]);
  });

  test('adds a server from ~/.ssh/config, asks to trust its host key, follows its status live and tests it', async ({
    page,
    engine,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(90_000);
    await page.goto(e2eEnv('url'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    await expect(page.getByRole('heading', { name: 'No servers yet' })).toBeVisible();

    await page.getByTestId('add-server').click();
    const dialog = page.getByTestId('add-server-dialog');
    const suggestion = dialog.getByTestId('ssh-suggestion').filter({ hasText: SERVER });
    await expect(suggestion).toContainText(`root@127.0.0.1:${remote.port}`);
    await suggestion.click();
    await expect(dialog.getByTestId('server-name')).toHaveValue(SERVER);
    await expect(dialog.getByTestId('server-host')).toHaveValue(SERVER);
    await expect(dialog.getByTestId('server-auth')).toHaveValue('key');
    await expect(dialog.getByTestId('server-key-path')).toHaveValue(remote.privateKeyPath);
    await dialog.getByText('Advanced').click();
    await dialog.getByTestId('server-docker-socket').fill(remote.dockerSocketPath);
    await screenshots(page, testInfo, 'dialog-add-server');
    await dialog.getByTestId('confirm').click();

    // First contact: the fingerprint is shown and nothing is sent until the user trusts it.
    const trust = page.getByTestId('trust-server-dialog');
    await expect(trust.getByTestId('host-key-fingerprint')).toHaveText(remote.hostKeyFingerprint);
    expect((await engine.servers.get({ name: SERVER })).status.state).toBe('untrusted');
    expect(await authLines(remote), 'sshd saw no authentication before trust').toEqual([]);
    await screenshots(page, testInfo, 'dialog-trust-server');
    await trust.getByTestId('confirm').click();
    await expect(trust).toBeHidden();

    const card = serverCard(page);
    await expect(card.getByTestId('server-status')).toHaveAttribute('data-state', 'online');
    const online = await engine.servers.get({ name: SERVER });
    expect(online.status.state).toBe('online');
    await expect(card.getByTestId('server-docker-version')).toHaveText(online.status.dockerVersion!);
    await expect(card.getByTestId('server-host-key')).toHaveText(remote.hostKeyFingerprint);
    await expect(card.getByTestId('server-address')).toHaveText(`root@127.0.0.1:${remote.port}`);
    await screenshots(page, testInfo, 'servers');

    // The server's sshd dies: the card says so without a reload (the engine's event), with the reason.
    await killSshd(remote);
    await expect(card.getByTestId('server-status')).toHaveAttribute('data-state', 'offline', { timeout: 20_000 });
    await expect(card.getByTestId('server-reason')).toBeVisible();
    expect((await engine.servers.get({ name: SERVER })).status.state).toBe('offline');

    // It comes back; testing connects again at once instead of waiting for the next retry.
    await restartSshd(remote);
    await card.getByRole('button', { name: 'Test connection' }).click();
    await expect(card.getByTestId('server-status')).toHaveAttribute('data-state', 'online', { timeout: 20_000 });
    await expect(page.getByTestId('toast').filter({ hasText: `${SERVER} answers` })).toBeVisible();
    expect((await engine.servers.get({ name: SERVER })).status.state).toBe('online');
    expect(pageProblems).toEqual([]);
  });

  test('creates an app from a git repository on the server, and removes the server once no app targets it', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(120_000);
    expect((await engine.servers.get({ name: SERVER })).status.state, 'the first test added the server').toBe('online');
    // Building on the server needs its base image there (no registry is reachable).
    await ensureBusyboxImage(new Docker({ socketPath: remote.dockerSocketPath }));
    const name = appName('git');
    cleanupApps.push(name);
    const repo = await helloCopy(scratch, 'repo', 'v-git');
    const commit = gitInitAndCommit(repo, 'first');

    await page.goto(e2eEnv('url'));
    await page.getByTestId('new-app').click();
    const dialog = page.getByTestId('new-app-dialog');
    await dialog.getByRole('tab', { name: 'Git repository' }).click();
    await dialog.getByTestId('git-url').fill(`file://${repo}`);
    // The spec follows the URL; the name is the user's to change.
    await expect(dialog.getByTestId('spec-yaml')).toHaveValue(/repo_clone_url: "file:\/\/.*\/repo"/);
    const spec = (await dialog.getByTestId('spec-yaml').inputValue()).replace(/^name: .*$/m, `name: ${name}`);
    await dialog.getByTestId('spec-yaml').fill(spec);
    await expect(dialog.getByTestId('validation-state')).toHaveText('Valid');
    await dialog.getByTestId('new-app-server').selectOption(SERVER);
    await expect(dialog.getByTestId('new-app-build-mode')).toHaveValue('server');
    await screenshots(page, testInfo, 'dialog-new-app-git');
    await dialog.getByTestId('confirm').click();
    // Created and deployed: the window goes to the build log.
    await expect(page.getByTestId('tab-logs')).toBeVisible();

    const live = await waitForLatest(engine, name);
    expect(live.phase, live.error?.message).toBe('ACTIVE');
    expect(live.sourceRevision).toBe(commit);
    const detail = await engine.apps.get({ app: name });
    expect(detail).toMatchObject({ server: SERVER, sourcePath: null });
    // The app's containers run on the server's engine, not this machine's.
    const remoteDocker = new Docker({ socketPath: remote.dockerSocketPath });
    const running = await remoteDocker.listContainers({ filters: { label: [`${LABELS.app}=${name}`] } });
    expect(running.length).toBeGreaterThan(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Apps' }).click();
    await expect(appCard(page, name).getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    await expect(appCard(page, name)).toContainText(SERVER);
    // Activity names the commit it deployed, with its subject.
    await openDetail(page, name, 'Activity');
    await expect(activityRow(page, live.id).getByTestId('activity-meta')).toHaveText(`${commit.slice(0, 7)} first`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Apps' }).click();

    // A server that apps target cannot be removed; the dialog says why.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    const card = serverCard(page);
    await expect(card.getByTestId('server-apps')).toHaveText('1 app');
    await card.getByRole('button', { name: 'Remove…' }).click();
    const remove = page.getByTestId('remove-server-dialog');
    await expect(remove.getByTestId('remove-blocked')).toContainText(`1 app still targets ${SERVER}`);
    await expect(remove.getByTestId('confirm')).toBeDisabled();
    await remove.getByRole('button', { name: 'Keep it' }).click();

    await engine.apps.delete({ app: name });
    await removeSlipwayResources(remoteDocker, { app: name });
    // The count follows the apps' events: no reload.
    await expect(card.getByTestId('server-apps')).toHaveText('0 apps');
    await card.getByRole('button', { name: 'Remove…' }).click();
    await expect(remove.getByTestId('confirm')).toBeEnabled();
    await screenshots(page, testInfo, 'dialog-remove-server');
    await remove.getByTestId('confirm').click();
    await expect(card).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'No servers yet' })).toBeVisible();
    expect((await engine.servers.list({})).map((s) => s.name)).toEqual(['local']);
    expect(pageProblems).toEqual([]);
  });
});
