import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHttpServer, type GitHttpServer } from '../../src/main/engine/source/git-http-server.test-support';
import { useCliScratch } from '../support/cli-scratch';
import { httpGet, writeSiteApp } from '../support/deploy-fixtures';
import { blockSecret, cmdline, leaks, pemSentinel, settledDataFiles } from '../support/secret-sentinels';
import { runSlipway } from '../support/slipway-process';

const suffix = randomBytes(3).toString('hex');
const BUILD_APP = `itest-redact-build-${suffix}`;
const RUN_APP = `itest-redact-run-${suffix}`;
const GIT_APP = `itest-redact-git-${suffix}`;
const CHECK_APP = `itest-redact-check-${suffix}`;

async function slipway(data: string, ...argv: string[]) {
  const run = await runSlipway(data, argv);
  return { code: run.code, out: run.out, err: run.err, all: `${run.out}\n${run.err}` };
}

describe('secrets in logs, state and output', () => {
  const scratch = useCliScratch('redact', [BUILD_APP, RUN_APP, GIT_APP, CHECK_APP]);

  it('hides every line of a multi-line build-time secret a build echoes, wherever the lines go', async () => {
    const pem = pemSentinel();
    const token = `single-${randomBytes(12).toString('hex')}`;
    const dir = await writeSiteApp(scratch.dir(), {
      name: BUILD_APP,
      dockerfile: [
        'FROM busybox:stable',
        'ARG TLS_KEY',
        'ARG API_TOKEN',
        'RUN echo "$TLS_KEY" && echo "token $API_TOKEN" && exit 1',
        '',
      ].join('\n'),
      services: [
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    envs:',
        blockSecret('TLS_KEY', pem.value, 'BUILD_TIME'),
        '      - key: API_TOKEN',
        '        type: SECRET',
        '        scope: BUILD_TIME',
        `        value: ${token}`,
      ].join('\n'),
    });
    const data = scratch.data();
    expect((await slipway(data, 'apps', 'create', '--spec', path.join(dir, 'app.yaml'))).code).toBe(0);
    const deployed = await slipway(data, 'apps', 'deploy', BUILD_APP, '--wait');
    expect(deployed.code).not.toBe(0);

    const [failed] = JSON.parse((await slipway(data, 'apps', 'list-deployments', BUILD_APP, '-o', 'json')).out) as [
      { id: string; phase: string; error: { lastLogLines: string[] } },
    ];
    expect(failed.phase).toBe('ERROR');
    // The lines were there and are hidden, not missing.
    expect(failed.error.lastLogLines).toContain('[secret TLS_KEY]');
    expect(failed.error.lastLogLines).toContain('token [secret API_TOKEN]');
    const got = await slipway(data, 'apps', 'get-deployment', BUILD_APP, failed.id, '-o', 'json');
    const logs = await slipway(data, 'apps', 'logs', BUILD_APP, 'web', '--type', 'build');
    expect(logs.out).toContain('[secret TLS_KEY]');

    const sentinels = [...pem.inner, token];
    const outputs = [deployed, got, logs].map((r, i) => ({ file: `output ${i}`, text: r.all }));
    expect(leaks([...outputs, ...(await settledDataFiles(data))], sentinels)).toEqual([]);
  });

  it('hides the secrets a running container prints in its run logs', async () => {
    const pem = pemSentinel();
    const token = `run-${randomBytes(12).toString('hex')}`;
    const dir = await writeSiteApp(scratch.dir(), {
      name: RUN_APP,
      dockerfile: [
        'FROM busybox:stable',
        'COPY site/ /www/',
        // Prints its secrets once, then serves: what a careless app does at start.
        `CMD ["sh", "-c", "echo \\"token $RUN_TOKEN\\"; echo \\"$RUN_KEY\\"; echo started; exec httpd -f -p 8080 -h /www"]`,
        '',
      ].join('\n'),
      services: [
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    health_check:',
        '      http_path: /',
        '    envs:',
        blockSecret('RUN_KEY', pem.value, 'RUN_TIME'),
        '      - key: RUN_TOKEN',
        '        type: SECRET',
        '        scope: RUN_TIME',
        `        value: ${token}`,
      ].join('\n'),
    });
    const data = scratch.data();
    expect((await slipway(data, 'apps', 'create', '--spec', path.join(dir, 'app.yaml'))).code).toBe(0);
    const deployed = await slipway(data, 'apps', 'deploy', RUN_APP, '--wait');
    expect(deployed.code, deployed.all).toBe(0);

    const run = await slipway(data, 'apps', 'logs', RUN_APP, 'web', '--type', 'run');
    expect(run.out).toContain('started');
    expect(run.out).toContain('token [secret RUN_TOKEN]');
    expect(run.out).toContain('[secret RUN_KEY]');
    const json = await slipway(data, 'apps', 'logs', RUN_APP, '--type', 'run', '-o', 'json');
    expect(
      leaks(
        [run, json].map((r, i) => ({ file: `output ${i}`, text: r.all })),
        [...pem.inner, token],
      ),
    ).toEqual([]);
  });

  it('hides a secret a failure’s message quotes in the deployment’s recorded error', async () => {
    const token = `check-${randomBytes(12).toString('hex')}`;
    const dir = await writeSiteApp(scratch.dir(), {
      name: CHECK_APP,
      dockerfile: [
        'FROM busybox:stable',
        'COPY site/ /www/',
        // The image's own health check prints a run-time secret and fails: its output becomes the failure's message.
        'HEALTHCHECK --interval=1s --timeout=2s --retries=1 CMD echo "probe $CHECK_TOKEN" && exit 1',
        'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
        '',
      ].join('\n'),
      services: [
        '  - name: web',
        '    dockerfile_path: Dockerfile',
        '    http_port: 8080',
        '    envs:',
        '      - key: CHECK_TOKEN',
        '        type: SECRET',
        '        scope: RUN_TIME',
        `        value: ${token}`,
      ].join('\n'),
    });
    const data = scratch.data();
    expect((await slipway(data, 'apps', 'create', '--spec', path.join(dir, 'app.yaml'))).code).toBe(0);
    const deployed = await slipway(data, 'apps', 'deploy', CHECK_APP, '--wait');
    expect(deployed.code).not.toBe(0);

    const listed = await slipway(data, 'apps', 'list-deployments', CHECK_APP, '-o', 'json');
    const [failed] = JSON.parse(listed.out) as [
      { id: string; phase: string; error: { code: string; message: string } },
    ];
    expect(failed.phase).toBe('ERROR');
    expect(failed.error.code).toBe('HEALTH_CHECK_FAILED');
    // The message was there and its secret is hidden, as in the log line that says the same.
    expect(failed.error.message).toContain('probe [secret CHECK_TOKEN]');
    const got = await slipway(data, 'apps', 'get-deployment', CHECK_APP, failed.id, '-o', 'json');
    const outputs = [deployed, listed, got].map((r, i) => ({ file: `output ${i}`, text: r.all }));
    expect(leaks([...outputs, ...(await settledDataFiles(data))], [token])).toEqual([]);
  });

  describe('from a git server that asks for a credential', () => {
    const token = `gittok-${randomBytes(12).toString('hex')}`;
    let server: GitHttpServer;
    const argvLeaks: string[] = [];
    const requestsSeen: number[] = [];

    beforeAll(async () => {
      const served = path.join(scratch.dir(), 'served');
      const work = await writeSiteApp(scratch.dir(), { name: 'git-work' });
      const git = (cwd: string, ...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@slipway.invalid', ...args], { cwd });
      git(work, 'init', '-q', '-b', 'main');
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', 'site');
      await mkdir(served);
      git(served, 'clone', '-q', '--bare', work, path.join(served, 'site.git'));
      // Each request arrives while the git that sent it runs: its argv (and its helpers') are in /proc now.
      server = await startGitHttpServer(served, 'deploy', token, () => {
        requestsSeen.push(Date.now());
        for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
          const argv = cmdline(pid);
          if (argv?.includes(token)) argvLeaks.push(argv.replaceAll('\0', ' '));
        }
      });
    });

    afterAll(async () => {
      await server.close();
    });

    it('deploys with the credential, which reaches no argv, log, output or checkout', async () => {
      const url = `${server.baseUrl.replace('http://', `http://deploy:${token}@`)}site.git`;
      const specFile = path.join(scratch.dir(), 'git-app.yaml');
      await writeFile(
        specFile,
        [
          `name: ${GIT_APP}`,
          'services:',
          '  - name: web',
          '    git:',
          `      repo_clone_url: ${url}`,
          '      branch: main',
          '    dockerfile_path: Dockerfile',
          '    http_port: 8080',
          '    health_check:',
          '      http_path: /',
          '',
        ].join('\n'),
      );
      const data = scratch.data();
      expect((await slipway(data, 'apps', 'create', '--spec', specFile)).code).toBe(0);
      const deployed = await slipway(data, 'apps', 'deploy', GIT_APP, '--wait');
      expect(deployed.code, deployed.all).toBe(0);
      const web = /web: (http:\/\/127\.0\.0\.1:\d+)/.exec(deployed.out)![1]!;
      expect((await httpGet(web)).body).toContain(`git-work v1`);

      expect(requestsSeen.length).toBeGreaterThan(0);
      expect(argvLeaks).toEqual([]);
      const logs = await slipway(data, 'apps', 'logs', GIT_APP, '--type', 'build');
      expect(logs.out).toContain(`Fetching http://***@${server.baseUrl.slice('http://'.length)}site.git (main)`);
      const shown = await slipway(data, 'apps', 'get', GIT_APP, '-o', 'json');
      expect(shown.out).toContain('slipway-hidden@');

      // The stored specs (the app's and the deployment's) hold the credential sealed.
      const state = JSON.parse(await readFile(path.join(data, 'state.json'), 'utf8')) as {
        apps: Array<{ name: string; specYaml: string }>;
        deployments: Array<{ app: string; specYaml: string }>;
      };
      const stored = [
        ...state.apps.filter((a) => a.name === GIT_APP),
        ...state.deployments.filter((d) => d.app === GIT_APP),
      ];
      expect(stored.length).toBe(2);
      for (const record of stored) expect(record.specYaml).toMatch(/repo_clone_url: http:\/\/slipway-sealed%3Av1%3A/);

      // A screen sends the masked spec back: the sealed credential stays, and the next deploy signs in with it.
      const maskedFile = path.join(scratch.dir(), 'git-app-masked.yaml');
      await writeFile(maskedFile, (JSON.parse(shown.out) as { specYaml: string }).specYaml);
      const updated = await slipway(data, 'apps', 'update', GIT_APP, '--spec', maskedFile);
      expect(updated.code, updated.all).toBe(0);
      const before = requestsSeen.length;
      const again = await slipway(data, 'apps', 'deploy', GIT_APP, '--wait');
      expect(again.code, again.all).toBe(0);
      expect(requestsSeen.length).toBeGreaterThan(before);
      expect(argvLeaks).toEqual([]);

      const outputs = [deployed, logs, shown, updated, again].map((r, i) => ({ file: `output ${i}`, text: r.all }));
      expect(leaks([...outputs, ...(await settledDataFiles(data))], [token])).toEqual([]);
      const cache = path.join(data, 'cache', 'git', GIT_APP);
      expect((await stat(cache)).mode & 0o777).toBe(0o700);
    });
  });
});
