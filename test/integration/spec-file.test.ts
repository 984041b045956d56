import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { Deployment, LogLine } from '../../src/shared/deployment';
import type { AppDetail } from '../../src/shared/domains/apps';
import { useCliScratch } from '../support/cli-scratch';
import { eventually, httpGet, writeSiteApp } from '../support/deploy-fixtures';
import { runSlipway, startSlipway } from '../support/slipway-process';

const APP = 'specfile-site';
const SECRET = 'file-secret-Zq81xv';
const scratch = useCliScratch('spec-file', [APP]);
const docker = new Docker();

const service = (lines: string[]) =>
  [
    '  - name: web',
    '    dockerfile_path: Dockerfile',
    '    http_port: 8080',
    '    health_check:',
    '      http_path: /',
    ...lines,
  ].join('\n');

async function json<T>(argv: string[]): Promise<T> {
  const run = await runSlipway(scratch.data(), [...argv, '-o', 'json']);
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out) as T;
}

/** The app's running containers, with their env. */
async function running(): Promise<string[][]> {
  const list = await docker.listContainers({ filters: { label: [`dev.slipway.app=${APP}`], status: ['running'] } });
  return Promise.all(list.map(async (c) => (await docker.getContainer(c.Id).inspect()).Config.Env));
}

describe('a spec that follows its file', () => {
  it('deploys the edited app.yaml with its diff in the log, and fails an invalid edit at the start', async () => {
    const dir = await writeSiteApp(scratch.dir(), {
      name: APP,
      page: 'v1\n',
      services: service(['    instance_count: 1']),
    });
    const file = path.join(dir, 'app.yaml');
    // Created from the folder, as the window's "New app from a folder" does.
    expect((await runSlipway(scratch.data(), ['apps', 'create', '--spec', dir])).code).toBe(0);
    expect((await json<AppDetail>(['apps', 'get', APP])).specFile).toEqual({ path: file, changedFields: 0 });
    const first = await runSlipway(scratch.data(), ['apps', 'deploy', APP, '--wait']);
    expect(first.code, first.err).toBe(0);
    const url = (await json<AppDetail>(['apps', 'get', APP])).components[0]!.url!;
    expect(await running()).toHaveLength(1);

    // The user edits the file: two instances, a new env var and a secret.
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        '    instance_count: 1',
        [
          '    instance_count: 2',
          '    envs:',
          '      - key: GREETING',
          '        value: hello from the file',
          '      - key: API_TOKEN',
          `        value: ${SECRET}`,
          '        type: SECRET',
        ].join('\n'),
      ),
    );
    expect((await json<AppDetail>(['apps', 'get', APP])).specFile).toEqual({ path: file, changedFields: 2 });
    expect((await runSlipway(scratch.data(), ['apps', 'get', APP])).out).toContain(
      `Spec:     ${file} (changed: 2 fields)`,
    );

    const queued = await json<Deployment>(['apps', 'deploy', APP]);
    const follow = startSlipway(scratch.data(), [
      'apps',
      'logs',
      APP,
      '--type',
      'deploy',
      '--deployment',
      queued.id,
      '--follow',
    ]);
    await follow.printed(/is live\./, 120_000);
    follow.interrupt();
    const followed = (await follow.exited).out;
    expect(followed).toContain(`Spec read from ${file}`);
    expect(followed).toMatch(/Spec changes from the live deployment \w+: 2 fields/);
    expect(followed).toContain('-    instance_count: 1');
    expect(followed).toContain('+    instance_count: 2');
    expect(followed).toContain('+      - key: GREETING');
    expect(followed).toContain('+        value: hello from the file');
    expect(followed).toContain('+        value: "********"');
    expect(followed).not.toContain(SECRET);

    // Live at the switch; the previous version is removed after it.
    await eventually(async () => (await json<Deployment>(['apps', 'get-deployment', APP, queued.id])).finishedAt);
    const envs = await running();
    expect(envs).toHaveLength(2);
    for (const env of envs) {
      expect(env).toContain('GREETING=hello from the file');
      expect(env).toContain(`API_TOKEN=${SECRET}`);
    }
    const live = await json<Deployment>(['apps', 'get-deployment', APP, queued.id]);
    expect(live.phase).toBe('ACTIVE');
    expect(live.specYaml).toContain('instance_count: 2');
    expect(live.specYaml).not.toContain(SECRET);
    expect(await readFile(path.join(scratch.data(), 'state.json'), 'utf8')).not.toContain(SECRET);
    expect((await json<AppDetail>(['apps', 'get', APP])).specFile).toEqual({ path: file, changedFields: 0 });

    // An invalid edit: the deployment fails at its start, naming the field; the live version serves on.
    await writeFile(file, (await readFile(file, 'utf8')).replace('instance_count: 2', 'instance_count: -1'));
    const validate = await runSlipway(scratch.data(), ['apps', 'spec', 'validate', file]);
    expect(validate.code).toBe(1);
    const field = /(services\[0\]\.instance_count)/.exec(validate.out)![1]!;
    expect((await json<AppDetail>(['apps', 'get', APP])).specFile).toMatchObject({
      path: file,
      error: expect.stringContaining(field),
    });
    const refused = await runSlipway(scratch.data(), ['apps', 'deploy', APP]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('[SPEC_INVALID]');
    expect(refused.err).toContain(field);
    const [failed] = await json<Deployment[]>(['apps', 'list-deployments', APP]);
    expect(failed).toMatchObject({ phase: 'ERROR', error: { code: 'SPEC_INVALID' } });
    expect(failed!.error!.message).toContain(field);
    expect(failed!.progress).toMatchObject([{ title: 'Read app.yaml', status: 'ERROR' }]);
    const log = await runSlipway(scratch.data(), [
      'apps',
      'logs',
      APP,
      '--type',
      'deploy',
      '--deployment',
      failed!.id,
      '-o',
      'json',
    ]);
    const lines = log.out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as LogLine).line);
    expect(lines.some((l) => l.includes(field))).toBe(true);

    expect(await httpGet(url)).toMatchObject({ status: 200, body: 'v1\n' });
    expect(await running()).toHaveLength(2);
    expect((await json<AppDetail>(['apps', 'get', APP])).liveDeployment?.id).toBe(queued.id);
  });
});
