import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, it } from 'vitest';
import WebSocket from 'ws';
import { cutMarker } from '../../src/main/engine/base/line-splitter';
import { withTimeout } from '../../src/main/engine/base/with-timeout';
import { MAX_REQUEST_BYTES } from '../../src/main/engine/daemon/serve-messages';
import { contract } from '../../src/shared/contract';
import { createClient } from '../../src/shared/rpc/client';
import { socketClientTransport } from '../../src/shared/rpc/socket-client-transport';
import { SOCKET_TOKEN_PARAM } from '../../src/shared/rpc/socket-protocol';
import { MAX_SPEC_BYTES } from '../../src/shared/spec/spec-bytes';
import { startBrowserHost, type BrowserHost } from '../support/browser-host';
import { removeSlipwayResources } from '../support/cleanup';
import { deployAndWait, eventually, scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';
import { engineProblem, greetedPeer, offerEndlessLine, rssOf } from '../support/engine-front-ends';
import { startTestEngine, type TestEngine } from '../support/engine-process';
import { runSlipway } from '../support/slipway-process';
import { checkAfterwards, checkNextDeploy } from './support/afterwards';
import { FaultApp, type VersionOptions } from './support/fault-app';
import { FaultScene } from './support/fault-run';
import { Finding, faultTable, type FaultReport } from './support/fault-table';

const table = faultTable(__filename);
const rows = {
  fifo: table.row('bounded-input/1', 'a spec file that is a named pipe (FIFO)'),
  device: table.row('bounded-input/2', 'a spec file that is /dev/urandom'),
  large: table.row('bounded-input/3', 'a spec file over 1 MiB'),
  frame: table.row('bounded-input/4', 'a WebSocket frame over the bound (4 MiB) from a page of the browser host'),
  utf8: table.row('bounded-input/5', 'a WebSocket frame of invalid UTF-8 from a page of the browser host'),
  line: table.row('bounded-input/6', "a line that never ends, on the engine's local socket"),
  build: table.row('bounded-input/7', 'a build step printing a 10 MB line without a newline'),
  run: table.row('bounded-input/8', 'a container printing a 10 MB line without a newline at run time'),
};

const docker = new Docker();
const APP = `fk-input-${randomBytes(3).toString('hex')}`;
/** The line splitter's default bound: a log line longer than this is cut. */
const LINE_BOUND = 1024 * 1024;
/** Ten megabytes of one character and no newline, then a line that must still arrive. */
const longLine = (char: string, after: string) =>
  `head -c 10485760 /dev/zero | tr "\\000" ${char}; echo; echo ${after}`;

describe('bounded input: hostile sizes and bytes from every way in', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let engine: TestEngine;
  let host: BrowserHost;
  let scene: FaultScene;
  /** The engine process every row must leave running, and its version (a raw peer greets with it). */
  let pid = 0;
  let version = '';
  const data = () => path.join(scratch.dir, 'data');

  beforeAll(async () => {
    scratch = await scratchDir('fault-input');
    engine = await startTestEngine(data());
    const status = await engine.client.engine.status({});
    pid = status.pid!;
    version = status.version!;
    // The host serves a page of its own: these rows need its WebSocket, not the built renderer.
    const page = path.join(scratch.dir, 'page');
    await mkdir(page);
    await writeFile(path.join(page, 'index.html'), '<!doctype html><title>fault</title>\n');
    host = await startBrowserHost({ router: engine.relay, rendererDir: page });
    scene = new FaultScene(engine.client, data(), await FaultApp.create(scratch.dir, APP), docker);
    await scene.deployFirst();
  });

  afterAll(async () => {
    await host?.close();
    await engine?.client.apps.delete({ app: APP }).catch(() => undefined);
    await engine?.stop();
    if (scratch) await stopEdgeProcess(data());
    await removeSlipwayResources(docker, { app: APP });
    await scratch?.remove();
  });

  /**
   * What every row checks once its fault is over: the same engine process
   * serves, and the live version (the one the row deployed, if it did) serves
   * with its records whole; then, for the rows where a deploy is what the
   * fault could have broken, the next one.
   */
  async function afterwards(report: FaultReport, options: { nextDeploy: boolean }) {
    await report.check('the engine process lives and serves another front end', async () => {
      const problem = await engineProblem(data(), pid, engine.client);
      if (problem) throw new Finding(problem);
    });
    await checkAfterwards(report, {
      client: engine.client,
      dataDir: data(),
      app: APP,
      docker,
      // No deployment failed here: the live one is what a fault could have broken.
      faulted: { id: scene.live.id, phases: ['ACTIVE'] },
      live: scene.live,
      url: scene.url,
      before: [...scene.history],
    });
    if (options.nextDeploy) await nextDeploy(report);
  }

  /** Resolves once a deployment that went live is done removing the previous version, so the next row starts from rest. */
  const finished = (id: string) =>
    eventually(
      async () => Boolean((await engine.client.apps.getDeployment({ app: APP, deployment: id })).finishedAt),
      30_000,
    );

  async function nextDeploy(report: FaultReport) {
    const body = await scene.app.nextVersion();
    await engine.client.apps.update({ app: APP, specPath: scene.app.specPath });
    const done = await checkNextDeploy(report, engine.client, APP, body);
    if (done) {
      scene.history.push(done.id);
      scene.live = { id: done.id, body };
      await finished(done.id);
    }
  }

  /** `slipway apps update --spec FILE` on the live app, as a user would type it: refused at once, the spec kept. */
  async function refusedSpec(report: FaultReport, file: string, says: string) {
    const before = (await engine.client.apps.get({ app: APP })).specYaml;
    const run = await runSlipway(data(), ['apps', 'update', APP, '--spec', file], { timeoutMs: 30_000 });
    report.sees(run.err.split('\n')[0] ?? '');
    await report.check('the command is refused within 15 s, naming the file and why', () => {
      if (run.code === 0) throw new Finding('the command succeeded');
      if (!run.err.includes(says)) throw new Finding('the message does not say what is wrong with the file');
      if (run.ms > 15_000) throw new Finding('it took more than 15 s');
    });
    await report.check("the app's spec is unchanged", async () => {
      if ((await engine.client.apps.get({ app: APP })).specYaml !== before) throw new Finding('the spec changed');
    });
    await afterwards(report, { nextDeploy: true });
  }

  it('a spec file that is a FIFO', async () => {
    await rows.fifo.run(async (report) => {
      const fifo = path.join(scratch.dir, 'app.yaml.fifo');
      execFileSync('mkfifo', [fifo]);
      await refusedSpec(report, fifo, `${fifo} is not a regular file (a named pipe)`);
    });
  });

  it('a spec file that is /dev/urandom', async () => {
    await rows.device.run((report) =>
      refusedSpec(report, '/dev/urandom', '/dev/urandom is not a regular file (a device)'),
    );
  });

  it('a spec file over 1 MiB', async () => {
    await rows.large.run(async (report) => {
      // A valid spec, but for its size: one byte over the bound, in comments.
      const file = path.join(scratch.dir, 'large.yaml');
      const head = `name: ${APP}\nservices:\n  - name: web\n    dockerfile_path: Dockerfile\n    http_port: 8080\n`;
      await writeFile(file, head + '#'.repeat(MAX_SPEC_BYTES - head.length) + '\n');
      await refusedSpec(
        report,
        file,
        `${file} is ${MAX_SPEC_BYTES + 1} bytes; a spec is at most ${MAX_SPEC_BYTES} bytes`,
      );
    });
  });

  /** A page's connection to the browser host's WebSocket, with the close code it ends with. */
  async function openPage() {
    const url = `ws://127.0.0.1:${host.port}/rpc?${SOCKET_TOKEN_PARAM}=${host.token}`;
    const socket = new WebSocket(url, { origin: host.origin });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    // The host hangs up on a hostile page while it still writes: that is the point.
    socket.on('error', () => undefined);
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('close', (code) => reject(new Error(`the WebSocket closed (${code}) before it opened`)));
      }),
      10_000,
    );
    const client = createClient(
      contract,
      socketClientTransport(socket as unknown as Parameters<typeof socketClientTransport>[0]),
    );
    return { socket, closed, client };
  }

  /** One hostile frame from one page, while another page stays connected. */
  async function hostileFrame(report: FaultReport, send: (socket: WebSocket) => void, code: number, meaning: string) {
    const bystander = await openPage();
    const hostile = await openPage();
    send(hostile.socket);
    const closedWith = await withTimeout(hostile.closed, 10_000).catch(() => null);
    report.sees(
      closedWith === null ? 'the connection stays open' : `that connection is closed with code ${closedWith}`,
    );
    await report.check(`that connection is closed with ${code} (${meaning}) within 10 s`, () => {
      if (closedWith !== code)
        throw new Finding(closedWith === null ? 'it was not closed' : `closed with ${closedWith}`);
    });
    await report.check('the page connected meanwhile and a new one are served', async () => {
      const fresh = await openPage();
      try {
        for (const [name, page] of [
          ['the page connected meanwhile', bystander],
          ['a new page', fresh],
        ] as const) {
          const listed = await withTimeout(page.client.apps.list(), 10_000).catch(() => null);
          if (!listed?.some((a) => a.name === APP)) throw new Finding(`${name} is not answered`);
        }
      } finally {
        fresh.socket.close();
        bystander.socket.close();
      }
    });
    await afterwards(report, { nextDeploy: false });
  }

  it('a WebSocket frame over the bound', async () => {
    await rows.frame.run((report) =>
      hostileFrame(report, (socket) => socket.send('x'.repeat(MAX_REQUEST_BYTES + 1)), 1009, 'message too big'),
    );
  });

  it('a WebSocket frame of invalid UTF-8', async () => {
    await rows.utf8.run((report) =>
      hostileFrame(
        report,
        (socket) => socket.send(Buffer.from([0x7b, 0xff, 0x7d]), { binary: false }),
        1007,
        'invalid payload',
      ),
    );
  });

  it("a line that never ends on the engine's local socket", async () => {
    await rows.line.run(async (report) => {
      const memoryBefore = await rssOf(pid);
      const peer = await greetedPeer(data(), version);
      // A quarter of a gigabyte is offered; the engine must hang up long before.
      const sent = await withTimeout(offerEndlessLine(peer, 256 * 1024 * 1024), 60_000);
      const answer = peer.lines[1] as { result?: { error?: { code: string; message: string } } } | undefined;
      const error = answer?.result?.error;
      report.sees(error ? `the peer is answered ${error.code}: "${error.message}", then hung up on` : 'no answer');
      await report.check('the peer is hung up on before it sent twice the bound', () => {
        if (sent >= 2 * MAX_REQUEST_BYTES)
          throw new Finding(`it was let send ${sent >= 256 * 1024 * 1024 ? 'all' : 'more'}`);
        if (error?.code !== 'INVALID_REQUEST') throw new Finding('it was not told INVALID_REQUEST');
      });
      await report.check("the engine's memory grew by less than 64 MiB", async () => {
        if ((await rssOf(pid)) - memoryBefore >= 64 * 1024 * 1024) throw new Finding('it grew by 64 MiB or more');
      });
      await afterwards(report, { nextDeploy: false });
    });
  });

  /** Deploys a version that prints a long line; it must go live like any other. */
  async function deployLongLine(report: FaultReport, version: VersionOptions): Promise<boolean> {
    const body = await scene.app.nextVersion(version);
    await engine.client.apps.update({ app: APP, specPath: scene.app.specPath });
    const d = await deployAndWait(engine.client, APP);
    report.sees(`the deployment ends ${d.phase}`);
    scene.history.push(d.id);
    if (d.phase !== 'ACTIVE') return false;
    scene.live = { id: d.id, body };
    await finished(d.id);
    return true;
  }

  /** `slipway apps logs --type TYPE`: the long line once, cut with the marker, and the line after it. */
  async function checkCutInLogs(report: FaultReport, type: 'build' | 'run', char: string, after: string) {
    const run = await runSlipway(data(), ['apps', 'logs', APP, '--type', type]);
    const lines = run.out.split('\n');
    const long = lines.filter((line) => line.includes(char.repeat(64)));
    if (long.length === 1) report.sees(`apps logs --type ${type} shows it cut: "${long[0]!.slice(-48)}"`);
    await report.check(`apps logs --type ${type} shows the line once, cut at the bound with a marker`, () => {
      if (run.code !== 0) throw new Finding(`apps logs failed: ${run.err.split('\n')[0]}`);
      if (long.length !== 1) throw new Finding(`it shows ${long.length} such lines`);
      const text = long[0]!.slice('web | '.length);
      const marker = cutMarker(LINE_BOUND);
      if (!text.endsWith(marker)) throw new Finding('it is not cut with the marker');
      const kept = text.slice(0, -marker.length);
      const stamps = kept.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /g)?.length ?? 0;
      if (stamps > 0) throw new Finding(`Docker's timestamp appears ${stamps} times inside it`);
      if (kept.replaceAll(char, '') !== '') throw new Finding('it holds characters the program did not print');
      if (kept.length !== LINE_BOUND) throw new Finding('it is not cut at the bound');
    });
    await report.check('the line printed after it still arrives', () => {
      if (!lines.some((line) => line === `web | ${after}`)) throw new Finding('it is missing');
    });
  }

  it('a build printing a 10 MB line without a newline', async () => {
    await rows.build.run(async (report) => {
      const after = 'built-after-the-long-line';
      const live = await deployLongLine(report, { extraSteps: [`RUN ${longLine('y', after)}`] });
      await report.check('the deployment goes live', () => {
        if (!live) throw new Finding('it did not');
      });
      await checkCutInLogs(report, 'build', 'y', after);
      await report.check('the stored build log holds the cut line, not 10 MB', async () => {
        const file = path.join(data(), 'logs', APP, `${scene.live.id}.jsonl`);
        if ((await stat(file)).size >= 3 * 1024 * 1024) throw new Finding('the log file is 3 MiB or more');
      });
      await afterwards(report, { nextDeploy: true });
    });
  });

  it('a container printing a 10 MB line without a newline at run time', async () => {
    await rows.run.run(async (report) => {
      const after = 'ran-after-the-long-line';
      // The long line, then the image's own command (httpd), as an entrypoint that hands over with exec.
      const entrypoint = JSON.stringify(['sh', '-c', `${longLine('z', after)}; exec "$@"`, 'sh']);
      const live = await deployLongLine(report, { extraSteps: [`ENTRYPOINT ${entrypoint}`] });
      await report.check('the deployment goes live', () => {
        if (!live) throw new Finding('it did not');
      });
      await checkCutInLogs(report, 'run', 'z', after);
      await afterwards(report, { nextDeploy: true });
    });
  });
});
