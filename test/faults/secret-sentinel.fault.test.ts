import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Deployment } from '../../src/shared/deployment';
import { startGitHttpServer, type GitHttpServer } from '../../src/main/engine/source/git-http-server.test-support';
import { useCliScratch } from '../support/cli-scratch';
import { gitInitAndCommit, writeSiteApp } from '../support/deploy-fixtures';
import { blockSecret, pemSentinel, settledDataFiles } from '../support/secret-sentinels';
import {
  enginePid,
  exitOf,
  runSlipway,
  startSlipway,
  type SlipwayProcess,
  type SlipwayRun,
} from '../support/slipway-process';
import { Finding, faultTable, type FaultReport } from './support/fault-table';
import {
  ArgvSampler,
  checkBuildTimeWarnings,
  expectNoSentinel,
  historiesOfApp,
  historiesOfOthers,
  historyPlaces,
  labelsOfApp,
  watchCreatedContainers,
  type Place,
  type Sentinel,
} from './support/sentinel-scan';

const table = faultTable(__filename);
const row = table.row(
  'secrets/1',
  'a secret sentinel scan after a full run: deploys, a failed build and a failed health check that echo secrets, a rollback, a restart, a killed and a canceled build, the engine killed mid-build, and a git URL with a token (single-line and multi-line SECRETs, build and run time)',
);

const suffix = randomBytes(3).toString('hex');
const APP = `fk-secret-${suffix}`;
const GIT_APP = `fk-secret-git-${suffix}`;
const scratch = useCliScratch('fault-secret', [APP, GIT_APP]);
const docker = new Docker();

const hex = () => randomBytes(12).toString('hex');
const buildKey = pemSentinel();
const runKey = pemSentinel();
const buildToken = `sentinel-build-${hex()}`;
const runToken = `sentinel-run-${hex()}`;
const gitToken = `sentinel-git-${hex()}`;
/** The build-time secrets, by key: the only sentinels an image's history may hold, with a warning naming them. */
const BUILD_TIME: Record<string, Sentinel> = {
  BUILD_TOKEN: { name: 'BUILD_TOKEN (single-line, build time)', values: [buildToken] },
  BUILD_KEY: { name: 'BUILD_KEY (multi-line, build time)', values: buildKey.inner },
};
const NEVER_IN_IMAGES: Sentinel[] = [
  { name: 'RUN_TOKEN (single-line, run time)', values: [runToken] },
  { name: 'RUN_KEY (multi-line, run time)', values: runKey.inner },
  // As git would send it, too: the Basic credential in the header Slipway gives git.
  { name: 'the git URL token', values: [gitToken, Buffer.from(`deploy:${gitToken}`).toString('base64')] },
];
const SENTINELS = [...Object.values(BUILD_TIME), ...NEVER_IN_IMAGES];

const ECHO_BUILD_SECRETS = 'echo "token $BUILD_TOKEN" && echo "$BUILD_KEY"';
/** Holds a build step (bounded) until it is killed or canceled. */
const HOLD_STEP = 'RUN i=0; while [ ! -e /release ] && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done; [ -e /release ]';
const SERVE = 'CMD ["sh", "-c", "echo \\"run $RUN_TOKEN\\"; echo \\"$RUN_KEY\\"; exec httpd -f -p 8080 -h /www"]';

/** The folder app's Dockerfile for each kind of version: each echoes the secrets it is given. */
function dockerfile(kind: 'serves' | 'fails-build' | 'fails-health' | 'held'): string {
  const head = ['FROM busybox:stable', 'ARG BUILD_TOKEN', 'ARG BUILD_KEY'];
  const steps = {
    serves: [`RUN ${ECHO_BUILD_SECRETS}`, 'COPY site/ /www/', SERVE],
    'fails-build': [`RUN ${ECHO_BUILD_SECRETS} && exit 1`],
    // The image's own check prints the run-time secrets and fails: its output becomes the failure's message.
    'fails-health': [
      `RUN ${ECHO_BUILD_SECRETS}`,
      'COPY site/ /www/',
      'HEALTHCHECK --interval=1s --timeout=2s --retries=1 CMD echo "probe $RUN_TOKEN" && echo "$RUN_KEY" && exit 1',
      SERVE,
    ],
    // A layer of its own with the secrets in its history, then the hold: what a kill or cancel must clean.
    held: [`RUN ${ECHO_BUILD_SECRETS} && echo ${hex()} > /stamp`, HOLD_STEP, 'COPY site/ /www/', SERVE],
  }[kind];
  return [...head, ...steps, ''].join('\n');
}

const folderServices = [
  '  - name: web',
  '    dockerfile_path: Dockerfile',
  '    http_port: 8080',
  '    envs:',
  '      - key: BUILD_TOKEN',
  '        type: SECRET',
  '        scope: BUILD_TIME',
  `        value: ${buildToken}`,
  blockSecret('BUILD_KEY', buildKey.value, 'BUILD_TIME'),
  '      - key: RUN_TOKEN',
  '        type: SECRET',
  '        scope: RUN_TIME',
  `        value: ${runToken}`,
  blockSecret('RUN_KEY', runKey.value, 'RUN_TIME'),
].join('\n');

describe('secret sentinels after a full run', () => {
  let git: GitHttpServer;
  let appDir = '';
  const sampler = new ArgvSampler(SENTINELS);
  let samplesWhileGitRan = 0;
  let samplesWhileBuilding = 0;
  /** The deployments that failed on purpose, whose records quote what they echoed. */
  const failed = { build: '', health: '' };
  const watches: Array<{ seen: Place[]; close(): void }> = [];
  /** Everything every CLI call printed, by whether it was a log. */
  const printed: { logs: Place[]; other: Place[] } = { logs: [], other: [] };
  const data = () => scratch.data();

  function record(argv: string[], run: Pick<SlipwayRun, 'out' | 'err'>): void {
    (argv[1] === 'logs' ? printed.logs : printed.other).push({
      where: `slipway ${argv.join(' ')}`,
      text: `${run.out}\n${run.err}`,
    });
  }

  async function cli(...argv: string[]): Promise<SlipwayRun> {
    const run = await runSlipway(data(), argv);
    record(argv, run);
    return run;
  }

  function started(...argv: string[]): SlipwayProcess {
    const proc = startSlipway(data(), argv);
    void proc.exited.then((run) => record(argv, run));
    return proc;
  }

  beforeAll(async () => {
    appDir = await writeSiteApp(scratch.dir(), {
      name: APP,
      services: folderServices,
      dockerfile: dockerfile('serves'),
    });
    const work = await writeSiteApp(scratch.dir(), { name: 'git-work' });
    gitInitAndCommit(work, 'site');
    const served = path.join(scratch.dir(), 'served');
    await mkdir(served);
    execFileSync('git', ['clone', '-q', '--bare', work, path.join(served, 'site.git')]);
    // Each request arrives while the git that sent it runs: its argv (and its helpers') are in /proc now.
    git = await startGitHttpServer(served, 'deploy', gitToken, () => {
      sampler.sample();
      samplesWhileGitRan += 1;
    });
  });

  afterAll(async () => {
    sampler.stop();
    for (const w of watches) w.close();
    await git?.close();
  });

  /** The next version of the folder app: its page and Dockerfile (a deploy reads the folder as it is then). */
  async function version(n: number, kind: Parameters<typeof dockerfile>[0]): Promise<void> {
    await writeFile(path.join(appDir, 'site', 'index.html'), `${APP} v${n}\n`);
    await writeFile(path.join(appDir, 'Dockerfile'), dockerfile(kind));
  }

  /** `deploy --wait -o json`: the deployment as it ended. */
  async function deployed(app: string, ...argv: string[]): Promise<Deployment> {
    return JSON.parse((await cli('apps', ...argv, app, '--wait', '-o', 'json')).out) as Deployment;
  }

  /** Kills the data folder's engine process as a crash would, by the pid its lock holds, and waits until it is gone. */
  async function killEngine(): Promise<void> {
    const pid = await enginePid(data());
    if (pid === null) throw new Error(`no engine serves ${data()}`);
    process.kill(pid, 'SIGKILL');
    await exitOf(pid);
  }

  /**
   * A build held in its step, while /proc is read, then stopped: with `apps kill-build`, `apps cancel`, or a
   * kill -9 of the engine (the next command starts a new one, which reconciles).
   */
  async function heldBuild(stop: 'kill-build' | 'cancel' | 'kill -9'): Promise<Deployment> {
    const deploying = started('apps', 'deploy', APP, '--wait');
    // In text, `--wait` names the deployment as soon as it is queued.
    await deploying.printed(/Deployment [0-9a-z]+ \(/);
    const id = /Deployment ([0-9a-z]+) \(/.exec(deploying.output().err)![1]!;
    const follow = started('apps', 'logs', APP, 'web', '--type', 'build', '--deployment', id, '--follow');
    try {
      await follow.printed(/RUN i=0; while[^\n]*\n[^\n]*---> Running in [0-9a-f]{12}/);
      sampler.sample();
      samplesWhileBuilding += 1;
      if (stop === 'kill -9') await killEngine();
      else expect((await cli('apps', stop, APP)).code).toBe(0);
      await deploying.exited;
    } finally {
      follow.interrupt();
      await follow.exited;
    }
    return JSON.parse((await cli('apps', 'get-deployment', APP, id, '-o', 'json')).out) as Deployment;
  }

  it('finds no sentinel outside what the user’s own Dockerfile puts in an image’s history', async () => {
    await row.run(async (report) => {
      const since = Date.now();
      sampler.start();
      watches.push(await watchCreatedContainers(docker, APP), await watchCreatedContainers(docker, GIT_APP));

      // The folder app: each version's outcome is part of the run, not of the scan.
      expect((await cli('apps', 'create', '--spec', path.join(appDir, 'app.yaml'))).code).toBe(0);
      await version(1, 'serves');
      const ends: Deployment[] = [await deployed(APP, 'deploy')];
      await version(2, 'fails-build');
      ends.push(await deployed(APP, 'deploy'));
      await version(3, 'fails-health');
      ends.push(await deployed(APP, 'deploy'));
      await version(4, 'serves');
      ends.push(await deployed(APP, 'deploy'));
      // Not pinned: the builds below deploy again after it.
      ends.push(await deployed(APP, 'rollback', '--skip-pin'));
      ends.push(await deployed(APP, 'restart'));
      await version(5, 'held');
      ends.push(await heldBuild('kill-build'));
      await version(6, 'held');
      ends.push(await heldBuild('cancel'));
      await version(7, 'held');
      ends.push(await heldBuild('kill -9'));
      expect(ends.map((d) => d.phase)).toEqual([
        'ACTIVE',
        'ERROR',
        'ERROR',
        'ACTIVE',
        'ACTIVE',
        'ACTIVE',
        'ERROR',
        'CANCELED',
        'ERROR',
      ]);
      failed.build = ends[1]!.id;
      failed.health = ends[2]!.id;
      report.sees(`the failed build ends ERROR: ${ends[1]!.error?.message ?? ''}`);
      report.sees(`the failed health check ends ERROR: ${ends[2]!.error?.message ?? ''}`);
      for (const [what, d] of [
        ['the killed build', ends[6]!],
        ['the canceled build', ends[7]!],
        ['the build the engine was killed in', ends[8]!],
      ] as const)
        report.sees(`${what} ends ${d.phase}: ${d.error?.message ?? ''}`);

      // The git app: cloned with the token, then deployed again from the masked spec a screen shows.
      const specFile = path.join(scratch.dir(), 'git-app.yaml');
      const url = `${git.baseUrl.replace('http://', `http://deploy:${gitToken}@`)}site.git`;
      await writeFile(specFile, gitSpec(url));
      expect((await cli('apps', 'create', '--spec', specFile)).code).toBe(0);
      expect((await deployed(GIT_APP, 'deploy')).phase).toBe('ACTIVE');
      const shown = JSON.parse((await cli('apps', 'get', GIT_APP, '-o', 'json')).out) as { specYaml: string };
      report.sees(`apps get shows the clone URL as ${/repo_clone_url: (\S+)/.exec(shown.specYaml)?.[1] ?? '(none)'}`);
      await writeFile(specFile, shown.specYaml);
      expect((await cli('apps', 'update', GIT_APP, '--spec', specFile)).code).toBe(0);
      expect((await deployed(GIT_APP, 'deploy')).phase).toBe('ACTIVE');

      const seen = await readEverything(report);
      sampler.stop();
      await scan(report, since, seen);
    });
  });

  function gitSpec(url: string): string {
    return [
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
    ].join('\n');
  }

  /**
   * Every view the CLI gives of both apps, text and JSON: each deployment, its
   * build and deploy logs, the run logs, the app and its queue. Returns each
   * deployment's build log and the records, for the checks.
   */
  async function readEverything(report: FaultReport) {
    const buildLogs = new Map<string, string>();
    const records: Deployment[] = [];
    for (const app of [APP, GIT_APP]) {
      const listed = JSON.parse((await cli('apps', 'list-deployments', app, '-o', 'json')).out) as Deployment[];
      records.push(...listed);
      await cli('apps', 'list-deployments', app);
      const views = listed.flatMap((d) => [
        ['apps', 'get-deployment', app, d.id, '-o', 'json'],
        ['apps', 'get-deployment', app, d.id],
        ['apps', 'logs', app, '--type', 'build', '--deployment', d.id],
        ['apps', 'logs', app, '--type', 'build', '--deployment', d.id, '-o', 'json'],
        ['apps', 'logs', app, '--type', 'deploy', '--deployment', d.id],
        ['apps', 'logs', app, '--type', 'deploy', '--deployment', d.id, '-o', 'json'],
      ]);
      views.push(
        ['apps', 'logs', app, '--type', 'run'],
        ['apps', 'logs', app, '--type', 'run', '-o', 'json'],
        ['apps', 'get', app],
        ['apps', 'get', app, '-o', 'json'],
        ['apps', 'queue', app, '-o', 'json'],
      );
      // A few at a time: each is its own process, all on the one engine.
      for (let i = 0; i < views.length; i += 6) await Promise.all(views.slice(i, i + 6).map((argv) => cli(...argv)));
      for (const d of listed) {
        const log = printed.logs.find((p) => p.where === `slipway apps logs ${app} --type build --deployment ${d.id}`);
        buildLogs.set(d.id, log?.text ?? '');
      }
    }
    const shown = printed.other.find((p) => p.where === `slipway apps get ${APP} -o json`)?.text ?? '{}';
    const spec = parse((JSON.parse(shown) as { specYaml?: string }).specYaml ?? '') as {
      services?: Array<{ envs?: Array<{ key: string; value: string }> }>;
    } | null;
    const envs = spec?.services?.[0]?.envs ?? [];
    report.sees(
      `apps get -o json shows the secrets as ${envs.map((e) => `${e.key}=${JSON.stringify(e.value)}`).join(', ')}`,
    );
    const warning = [...buildLogs.values()].join('\n').match(/Warning: secret BUILD_KEY [^\n]*/)?.[0];
    report.sees(`the build log says "${warning ?? '(no warning)'}"`);
    return { buildLogs, records };
  }

  async function scan(
    report: FaultReport,
    since: number,
    seen: { buildLogs: Map<string, string>; records: Deployment[] },
  ): Promise<void> {
    await report.check('each echoed secret is shown masked where it was printed', () => {
      const logs = printed.logs.map((p) => p.text).join('\n');
      const failedBuild = seen.records.find((d) => d.id === failed.build);
      const expected: Array<[string, string]> = [
        ['the build log', 'token [secret BUILD_TOKEN]'],
        ['the build log', '[secret BUILD_KEY]'],
        ['the run log', 'run [secret RUN_TOKEN]'],
        ['the run log', '[secret RUN_KEY]'],
        ['the git build log', 'Fetching http://***@'],
      ];
      const missing = expected.filter(([, text]) => !logs.includes(text)).map(([where, text]) => `${text} in ${where}`);
      const health = seen.records.find((d) => d.id === failed.health);
      if (!health?.error?.message.includes('probe [secret RUN_TOKEN]')) missing.push('the health failure’s message');
      if (!failedBuild?.error?.lastLogLines?.includes('[secret BUILD_KEY]'))
        missing.push('the failed build’s last lines');
      if (missing.length > 0) throw new Finding(`not shown masked: ${missing.join(', ')}`);
    });
    await report.check('no log the CLI prints (build, deploy, run; text and -o json) holds a sentinel', () =>
      expectNoSentinel(printed.logs, SENTINELS, 'log output'),
    );
    await report.check('no other CLI output (text and -o json) holds a sentinel', () =>
      expectNoSentinel(printed.other, SENTINELS, 'output'),
    );
    await report.check('no label of a container, image or network of the apps holds a sentinel', async () => {
      const created = watches.flatMap((w) => w.seen);
      // Every deploy above that reached its start created containers; a watch that heard none watched nothing.
      if (created.length === 0) throw new Finding('Docker reported no container created for the apps');
      const now = [...(await labelsOfApp(docker, APP)), ...(await labelsOfApp(docker, GIT_APP))];
      expectNoSentinel([...created, ...now], SENTINELS, 'label set');
    });
    await report.check('no process argv holds a sentinel (sampled while git and builds ran)', () => {
      if (samplesWhileGitRan === 0 || samplesWhileBuilding === 0)
        throw new Finding('/proc was not read while git and a build ran');
      expectNoSentinel(sampler.leaks, SENTINELS, 'process argv');
    });

    const histories = [...(await historiesOfApp(docker, APP)), ...(await historiesOfApp(docker, GIT_APP))];
    await report.check('no image history holds a run-time secret or the git token', () =>
      expectNoSentinel(historyPlaces(histories), NEVER_IN_IMAGES, 'image layer'),
    );
    await report.check('a build-time secret an image’s history holds is named by a warning in its build log', () =>
      checkBuildTimeWarnings(histories, seen.buildLogs, BUILD_TIME),
    );
    await report.check('no unlabelled image the run left holds a sentinel', async () =>
      expectNoSentinel(historyPlaces(await historiesOfOthers(docker, since, histories)), SENTINELS, 'unlabelled layer'),
    );
    await report.check('no file of the data folder holds a sentinel (engine stopped)', async () => {
      const files = (await settledDataFiles(data())).map(({ file, text }) => ({
        where: path.relative(data(), file).replaceAll(GIT_APP, '<git app>').replaceAll(APP, '<app>'),
        text,
      }));
      expectNoSentinel(files, SENTINELS, 'file');
    });
  }
});
