import path from 'node:path';
import Docker from 'dockerode';
import type { DeploymentStep } from '../../src/shared/deployment';
import { imageTag, labelFilter } from '../../src/main/engine/docker/labels';
import { e2eEnv } from './e2e-env';
import {
  appCard,
  appName,
  expect,
  expectNoMarkupRendered,
  HOSTILE_MARKUP,
  liveApp,
  openDetail,
  replaceInFile,
  screenshots,
  terminalText,
  test,
  waitForLatest,
  writeApp,
} from './fixtures';

/** The steps that failed, deepest first: the one that says why. */
function failedSteps(steps: DeploymentStep[]): DeploymentStep[] {
  return steps.flatMap((s) => [...failedSteps(s.steps ?? []), ...(s.status === 'ERROR' ? [s] : [])]);
}

/** A step that prints, then fails; its command (and so the engine's reason) carries markup. */
const BROKEN_STEP = `RUN echo "broken $((2 + 2))" '${HOSTILE_MARKUP}' && exit 3`;
const BROKEN_OUTPUT = `broken 4 ${HOSTILE_MARKUP}`;

test.describe('a deployment that fails', () => {
  test('shows why on the card, in Overview and in Activity; the live version keeps serving', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }, testInfo) => {
    test.setTimeout(90_000);
    const name = appName('failing');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, { name, page: 'the good version\n' });
    const live = await liveApp(engine, dir);
    const url = (await engine.apps.get({ app: name })).components[0]!.url!;
    await replaceInFile(path.join(dir, 'Dockerfile'), /^FROM busybox:stable$/m, `FROM busybox:stable\n${BROKEN_STEP}`);

    await page.goto(e2eEnv('url'));
    await openDetail(page, name);
    await page.getByTestId('deploy-button').click();
    await page.getByTestId('deploy-dialog').getByTestId('confirm').click();
    const failed = await waitForLatest(engine, name);
    expect(failed.phase).toBe('ERROR');
    expect(failed.error?.lastLogLines, 'the failing step printed before it failed').toContain(BROKEN_OUTPUT);
    expect(failed.error?.message, "the engine's reason quotes the command").toContain(HOSTILE_MARKUP);

    // The previous version was never touched, and nothing of the failed one is left behind.
    expect((await engine.apps.get({ app: name })).liveDeployment?.id).toBe(live.id);
    expect(await (await page.request.get(url)).text()).toBe('the good version\n');
    const docker = new Docker({ socketPath: e2eEnv('dockerSocket') });
    expect(await docker.listContainers({ all: true, filters: labelFilter(name, failed.id) })).toEqual([]);
    const tags = (await docker.listImages({ filters: labelFilter(name) })).flatMap((i) => i.RepoTags ?? []);
    expect(tags).not.toContain(imageTag(name, 'web', failed.id));
    expect(tags).toContain(imageTag(name, 'web', live.id));

    // Overview says the last deployment failed and why, beside the live one.
    await page.getByRole('tab', { name: 'Overview' }).click();
    const overview = page.getByTestId('overview-failure');
    await expect(overview).toContainText('the live one keeps serving');
    await expect(overview).toContainText(failed.error!.message);
    await expect(page.getByTestId('overview-live')).toContainText(live.id);
    // The build failed: its log is one click away, on the failed deployment.
    await overview.getByRole('button', { name: 'Build logs' }).click();
    await expect(page.getByTestId('log-deployment')).toHaveValue(failed.id);
    await expect.poll(() => terminalText(page)).toContain(BROKEN_OUTPUT);
    await page.getByRole('tab', { name: 'Overview' }).click();

    // Activity: the failed deployment's row, its step tree with the reason on the failed step, its last lines.
    await overview.getByRole('button', { name: 'Details' }).click();
    const row = page.locator(`[data-testid="activity-row"][data-deployment="${failed.id}"]`);
    await expect(row).toHaveAttribute('data-phase', 'ERROR');
    const detail = row.getByTestId('deployment-detail');
    await expect(detail).toBeVisible();
    const [why] = failedSteps(failed.progress);
    expect(why?.reason, 'the engine gives a reason on the failed step').toBeTruthy();
    const shownStep = detail.locator(`[data-step="${why!.name}"]`);
    await expect(shownStep).toHaveAttribute('data-status', 'ERROR');
    await expect(shownStep.locator('.step-reason').first()).toHaveText(why!.reason!);
    await expect(detail.getByTestId('deployment-error')).toContainText(BROKEN_OUTPUT);
    await expectNoMarkupRendered(page);
    await screenshots(page, testInfo, 'detail-activity-failed');

    // The card stays live, and says the last deploy failed with the engine's reason.
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await expect(appCard(page, name).getByTestId('app-status')).toHaveAttribute('data-status', 'live');
    const onCard = appCard(page, name).getByTestId('failed-deployment');
    await expect(onCard).toContainText('Last deploy failed');
    await expect(onCard).toContainText(failed.error!.message);
    await expectNoMarkupRendered(page);
    await screenshots(page, testInfo, 'apps-grid-failed');

    // A good deploy clears it.
    await replaceInFile(path.join(dir, 'Dockerfile'), `${BROKEN_STEP}\n`, '');
    await appCard(page, name)
      .getByRole('button', { name: `Actions for ${name}` })
      .click();
    await page.getByRole('menuitem', { name: 'Deploy…', exact: true }).click();
    await page.getByTestId('deploy-dialog').getByTestId('confirm').click();
    expect((await waitForLatest(engine, name)).phase).toBe('ACTIVE');
    await page.getByRole('button', { name: 'Apps', exact: true }).first().click();
    await expect(appCard(page, name).getByTestId('live-deployment')).toBeVisible();
    await expect(appCard(page, name).getByTestId('failed-deployment')).toBeHidden();
    expect((await engine.apps.get({ app: name })).failedDeployment).toBeNull();
    expect(pageProblems).toEqual([]);
  });

  test('a first deployment that fails leaves the app in error, with nothing running', async ({
    page,
    engine,
    scratch,
    cleanupApps,
    pageProblems,
  }) => {
    const name = appName('never');
    cleanupApps.push(name);
    const dir = await writeApp(scratch, {
      name,
      dockerfile: `FROM busybox:stable\n${BROKEN_STEP}\n`,
    });
    await engine.apps.create({ specPath: path.join(dir, 'app.yaml') });
    await engine.apps.deploy({ app: name });
    const failed = await waitForLatest(engine, name);
    expect(failed.phase).toBe('ERROR');

    await page.goto(e2eEnv('url'));
    await expect(appCard(page, name).getByTestId('app-status')).toHaveAttribute('data-status', 'error');
    const onCard = appCard(page, name).getByTestId('failed-deployment');
    await expect(onCard).toContainText('Deploy failed');
    await expect(onCard).toContainText(failed.error!.message);
    await expect(appCard(page, name)).toContainText('Nothing is live');
    await onCard.getByRole('button', { name: 'Details' }).click();
    await expect(
      page.locator(`[data-testid="activity-row"][data-deployment="${failed.id}"]`).getByTestId('deployment-detail'),
    ).toBeVisible();
    expect(pageProblems).toEqual([]);
  });
});
