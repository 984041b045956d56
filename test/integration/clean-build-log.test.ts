import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { AppDetail } from '../../src/shared/domains/apps';
import type { Deployment } from '../../src/shared/deployment';
import { LABELS } from '../../src/shared/labels';
import { useCliScratch } from '../support/cli-scratch';
import { httpGet, writeSiteApp } from '../support/deploy-fixtures';
import { leftoversOf } from '../support/engine-checks';
import { runSlipway, startSlipway } from '../support/slipway-process';

const docker = new Docker();
const APP = 'clean-build-log';
const scratch = useCliScratch('clean-log', [APP]);

/** Four steps: the declared ARG's value lands in a file the site serves. */
const FOUR_STEPS = [
  'FROM busybox:stable',
  'ARG GREETING',
  'RUN mkdir -p /www && echo "greeting=$GREETING" > /www/greeting.txt && echo clean > /www/index.html',
  'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
  '',
].join('\n');

/** Build-time envs the Dockerfile does not declare (one a secret), beside the one it does. */
const SERVICES = [
  '  - name: web',
  '    dockerfile_path: Dockerfile',
  '    http_port: 8080',
  '    health_check:',
  '      http_path: /',
  '    envs:',
  '      - { key: GREETING, value: hello, scope: BUILD_TIME }',
  '      - { key: NOT_DECLARED, value: unused, scope: RUN_AND_BUILD_TIME }',
  '      - { key: API_TOKEN, value: tok-3f9a1c7e, scope: BUILD_TIME, type: SECRET }',
].join('\n');

async function slipway(...argv: string[]) {
  const run = await runSlipway(scratch.data(), argv);
  expect(run.code, `slipway ${argv.join(' ')}: ${run.err}`).toBe(0);
  return run.out;
}

/** `apps logs --type build` of one deployment, as the CLI prints it: `web | <line>` each. */
async function buildLog(id: string): Promise<string[]> {
  return (await slipway('apps', 'logs', APP, '--type', 'build', '--deployment', id)).split('\n').filter(Boolean);
}

async function deployments(): Promise<Deployment[]> {
  return JSON.parse(await slipway('apps', 'list-deployments', APP, '-o', 'json')) as Deployment[];
}

/** Starts a deploy from the CLI and returns once its build runs the slow step. */
async function deployIntoSlowStep(): Promise<string> {
  const queued = JSON.parse(await slipway('apps', 'deploy', APP, '-o', 'json')) as Deployment;
  const follower = startSlipway(scratch.data(), [
    ...['apps', 'logs', APP, '--type', 'build', '--deployment', queued.id, '--follow'],
  ]);
  await follower.printed(/^web \| slow step$/m);
  follower.interrupt();
  await follower.exited;
  return queued.id;
}

const stepLines = (log: string[]) => log.filter((l) => /^web \| Step \d+\/\d+ : /.test(l));

describe('a clean build log', () => {
  let first: Deployment;

  it("shows exactly the Dockerfile's own steps, no unconsumed build-arg warning, and labels the image", async () => {
    const dir = await writeSiteApp(scratch.dir(), { name: APP, services: SERVICES, dockerfile: FOUR_STEPS });
    await slipway('apps', 'create', '--spec', path.join(dir, 'app.yaml'));
    await slipway('apps', 'deploy', APP, '--wait');
    first = (await deployments())[0]!;
    expect(first.phase).toBe('ACTIVE');

    const log = await buildLog(first.id);
    expect(stepLines(log)).toEqual([
      'web | Step 1/4 : FROM busybox:stable',
      'web | Step 2/4 : ARG GREETING',
      `web | Step 3/4 : ${FOUR_STEPS.split('\n')[2]}`,
      'web | Step 4/4 : CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
    ]);
    expect(log.filter((l) => /LABEL|were not consumed|\[Warning\]/.test(l))).toEqual([]);
    // The undeclared secret was never sent, so it is neither warned about nor anywhere in the log.
    expect(log.filter((l) => /API_TOKEN|NOT_DECLARED|tok-3f9a1c7e/.test(l))).toEqual([]);
    const tag = `slipway/${APP}-web:${first.id}`;
    expect(log.at(-1)).toBe(`web | Successfully tagged ${tag}`);

    // The declared ARG got its value: the page the image serves says so.
    const app = JSON.parse(await slipway('apps', 'get', APP, '-o', 'json')) as AppDetail;
    expect((await httpGet(`${app.components[0]!.url!}/greeting.txt`)).body).toBe('greeting=hello\n');

    // The image still carries Slipway's labels, and the label build left no image behind untagged.
    const image = await docker.getImage(tag).inspect();
    expect(image.Id).toBe(first.images.web!.id);
    expect(image.Config.Labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.app]: APP,
      [LABELS.component]: 'web',
      [LABELS.owner]: expect.stringMatching(/.+/),
    });
    expect(image.Config.Env.some((e) => e.startsWith('GREETING') || e.startsWith('API_TOKEN'))).toBe(false);
    const dangling = await docker.listImages({ filters: { dangling: ['true'], label: [`${LABELS.app}=${APP}`] } });
    expect(dangling).toEqual([]);
    const history = (await docker.getImage(tag).history()) as Array<{ CreatedBy: string }>;
    expect(history.filter((h) => h.CreatedBy.includes('API_TOKEN') || h.CreatedBy.includes('NOT_DECLARED'))).toEqual(
      [],
    );
  });

  it('builds again from the cache: every step after FROM is cached and the image is the same', async () => {
    await slipway('apps', 'deploy', APP, '--wait');
    const second = (await deployments())[0]!;
    expect(second.id).not.toBe(first.id);
    expect(second.phase).toBe('ACTIVE');
    const log = await buildLog(second.id);
    expect(stepLines(log)).toHaveLength(4);
    expect(log.filter((l) => l === 'web |  ---> Using cache')).toHaveLength(3);
    expect(log.some((l) => l.includes('Running in'))).toBe(false);
    // The label build was cached too: the same labelled image, under the new tag.
    expect(second.images.web!.id).toBe(first.images.web!.id);
    expect(second.images.web!.built).toBe(true);
  });

  it("ends a killed build's log with one closing line naming who killed it", async () => {
    const dir = path.join(scratch.dir(), APP);
    await writeFile(path.join(dir, 'Dockerfile'), FOUR_STEPS.replace('CMD', 'RUN echo slow step && sleep 60\nCMD'));
    const id = await deployIntoSlowStep();
    const killed = await runSlipway(scratch.data(), ['apps', 'kill-build', APP]);
    expect(killed.code, killed.err).toBe(0);

    const log = await buildLog(id);
    const closing = 'web | Build killed by cli; the previous version is still live.';
    expect(log.at(-1)).toBe(closing);
    expect(log.filter((l) => l.includes('Build killed'))).toEqual([closing]);
    expect(stepLines(log).at(-1)).toBe('web | Step 4/5 : RUN echo slow step && sleep 60');
    expect(await leftoversOf(docker, APP, id)).toEqual({ containers: [], images: [] });
  });

  it("ends a canceled build's log with one closing line naming who canceled it", async () => {
    const id = await deployIntoSlowStep();
    const canceled = await runSlipway(scratch.data(), ['apps', 'cancel', APP]);
    expect(canceled.code, canceled.err).toBe(0);

    const log = await buildLog(id);
    const closing = 'web | Build canceled by cli; the previous version is still live.';
    expect(log.at(-1)).toBe(closing);
    expect(log.filter((l) => l.includes('Build canceled'))).toEqual([closing]);
    expect((await deployments()).find((d) => d.id === id)?.phase).toBe('CANCELED');
  });

  it("ends a failed build's log with its reason, once", async () => {
    const dir = path.join(scratch.dir(), APP);
    await writeFile(path.join(dir, 'Dockerfile'), FOUR_STEPS.replace('CMD', 'RUN exit 3\nCMD'));
    const run = await runSlipway(scratch.data(), ['apps', 'deploy', APP, '--wait']);
    expect(run.code).toBe(1);
    const failed = (await deployments())[0]!;
    expect(failed.phase).toBe('ERROR');

    const log = await buildLog(failed.id);
    const reason = "The command '/bin/sh -c exit 3' returned a non-zero code: 3";
    expect(failed.error?.message).toBe(reason);
    expect(log.at(-1)).toBe(`web | Build failed: ${reason}`);
    expect(log.filter((l) => l.includes(reason))).toHaveLength(1);
  });
});
