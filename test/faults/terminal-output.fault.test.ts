import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { LogLine } from '../../src/shared/deployment';
import { removeSlipwayResources } from '../support/cleanup';
import { deployAndWait, eventually, scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';
import { engineProblem } from '../support/engine-front-ends';
import { startTestEngine, type TestEngine } from '../support/engine-process';
import { runSlipway } from '../support/slipway-process';
import { checkAfterwards, checkNextDeploy } from './support/afterwards';
import { FaultApp, type VersionOptions } from './support/fault-app';
import { FaultScene } from './support/fault-run';
import { Finding, faultTable, type FaultReport } from './support/fault-table';

const table = faultTable(__filename);
const rows = {
  build: table.row(
    'terminal-output/1',
    'a build step printing a clipboard write (OSC 52), title changes (OSC 0, OSC 2), a screen clear and cursor moves',
  ),
  run: table.row('terminal-output/2', 'a container printing the same at run time'),
};

const docker = new Docker();
const APP = `fk-term-${randomBytes(3).toString('hex')}`;

/**
 * printf's format: OSC 52 (ended by BEL), OSC 0 (BEL) and OSC 2 (ST), a
 * screen clear, a cursor home, up and to a position, then a colour and its
 * reset, between two words. The words are printf's arguments, so only the
 * program's output holds them side by side, not the command a build log repeats.
 */
const FORMAT = String.raw`term-%s \033]52;c;cHduZWQ=\007\033]0;pwned-title\007\033]2;pwned-title\033\\\033[2J\033[H\033[3A\033[10;20H\033[31mred\033[0m term-%s\n`;
const PRINT = `printf '${FORMAT}' before after`;
/** What the program prints, byte for byte. */
const PRINTED =
  'term-before \x1b]52;c;cHduZWQ=\x07\x1b]0;pwned-title\x07\x1b]2;pwned-title\x1b\\' +
  '\x1b[2J\x1b[H\x1b[3A\x1b[10;20H\x1b[31mred\x1b[0m term-after';
/** How the CLI must show it: every control as text, but the colour and its reset. */
const SHOWN =
  'term-before ^[]52;c;cHduZWQ=^G^[]0;pwned-title^G^[]2;pwned-title^[\\' +
  '^[[2J^[[H^[[3A^[[10;20H\x1b[31mred\x1b[0m term-after';
/** A control character that is neither \t nor \n, outside an SGR sequence (which is removed first). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex -- SGR is what the CLI keeps
const SGR = /\x1b\[[0-9;:]*m/g;

describe('terminal control sequences in build and run output, through the CLI', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let engine: TestEngine;
  let scene: FaultScene;
  /** The engine process every row must leave running. */
  let pid = 0;
  const data = () => path.join(scratch.dir, 'data');

  beforeAll(async () => {
    scratch = await scratchDir('fault-term');
    engine = await startTestEngine(data());
    pid = (await engine.client.engine.status({})).pid!;
    scene = new FaultScene(engine.client, data(), await FaultApp.create(scratch.dir, APP), docker);
    await scene.deployFirst();
  });

  afterAll(async () => {
    await engine?.client.apps.delete({ app: APP }).catch(() => undefined);
    await engine?.stop();
    if (scratch) await stopEdgeProcess(data());
    await removeSlipwayResources(docker, { app: APP });
    await scratch?.remove();
  });

  /** Resolves once a deployment that went live is done removing the previous version, so the next step starts from rest. */
  const finished = (id: string) =>
    eventually(
      async () => Boolean((await engine.client.apps.getDeployment({ app: APP, deployment: id })).finishedAt),
      30_000,
    );

  /** Deploys a version whose output holds the sequences; it must go live like any other. */
  async function deployHostile(report: FaultReport, version: VersionOptions): Promise<string | null> {
    const body = await scene.app.nextVersion(version);
    await engine.client.apps.update({ app: APP, specPath: scene.app.specPath });
    const d = await deployAndWait(engine.client, APP);
    report.sees(`the deployment ends ${d.phase}`);
    scene.history.push(d.id);
    await report.check('the deployment goes live', () => {
      if (d.phase !== 'ACTIVE') throw new Finding(`it ended ${d.phase}`);
    });
    if (d.phase !== 'ACTIVE') return null;
    scene.live = { id: d.id, body };
    await finished(d.id);
    return d.id;
  }

  /** `slipway apps logs --type TYPE` plain, `--raw` and `-o json`, while the version that printed the sequences is live. */
  async function checkLogs(report: FaultReport, type: 'build' | 'run') {
    const logs = (...extra: string[]) => runSlipway(data(), ['apps', 'logs', APP, '--type', type, ...extra]);
    const [shown, raw, json] = [await logs(), await logs('--raw'), await logs('-o', 'json')];
    const line = shown.out.split('\n').find((l) => l.includes('term-before'));
    if (line) report.sees(`apps logs --type ${type} prints ${JSON.stringify(line)}`);
    await report.check(`apps logs --type ${type} shows every control as text (^[) and keeps the colours`, () => {
      if (shown.code !== 0) throw new Finding(`apps logs failed: ${shown.err.split('\n')[0]}`);
      if (line === undefined) throw new Finding('the line is missing');
      const acting = shown.out.replace(SGR, '').match(CONTROL);
      if (acting) throw new Finding(`it prints the control U+${acting[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
      if (line !== `web | ${SHOWN}`) throw new Finding('the line is not shown as it should be');
    });
    await report.check(`apps logs --type ${type} --raw prints them as they came`, () => {
      if (raw.code !== 0) throw new Finding(`apps logs --raw failed: ${raw.err.split('\n')[0]}`);
      if (!raw.out.split('\n').includes(`web | ${PRINTED}`)) throw new Finding('the line is not as printed');
    });
    await report.check(`apps logs --type ${type} -o json escapes them and keeps the line as printed`, () => {
      if (json.code !== 0) throw new Finding(`apps logs -o json failed: ${json.err.split('\n')[0]}`);
      if (CONTROL.test(json.out.replace(/\n/g, ''))) throw new Finding('it prints a control character');
      const lines = json.out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LogLine);
      if (!lines.some((l) => l.line === PRINTED)) throw new Finding('no line holds what was printed');
    });
  }

  /** The same engine process serves, the live version serves with its records whole, and the next deploy works. */
  async function afterwards(report: FaultReport) {
    await report.check('the engine process lives and serves another front end', async () => {
      const problem = await engineProblem(data(), pid, engine.client);
      if (problem) throw new Finding(problem);
    });
    await checkAfterwards(report, {
      client: engine.client,
      dataDir: data(),
      app: APP,
      docker,
      faulted: { id: scene.live.id, phases: ['ACTIVE'] },
      live: scene.live,
      url: scene.url,
      before: [...scene.history],
    });
    const body = await scene.app.nextVersion();
    await engine.client.apps.update({ app: APP, specPath: scene.app.specPath });
    const done = await checkNextDeploy(report, engine.client, APP, body);
    if (done) {
      scene.history.push(done.id);
      scene.live = { id: done.id, body };
      await finished(done.id);
    }
  }

  it('in a build step', async () => {
    await rows.build.run(async (report) => {
      if (await deployHostile(report, { extraSteps: [`RUN ${PRINT}`] })) await checkLogs(report, 'build');
      await afterwards(report);
    });
  });

  it('in a container at run time', async () => {
    await rows.run.run(async (report) => {
      // The sequences, then the image's own command (httpd), as an entrypoint that hands over with exec.
      const entrypoint = JSON.stringify(['sh', '-c', `${PRINT}; exec "$@"`, 'sh']);
      if (await deployHostile(report, { extraSteps: [`ENTRYPOINT ${entrypoint}`] })) await checkLogs(report, 'run');
      await afterwards(report);
    });
  });
});
