/**
 * `npm run bench`: deploying examples/hello with a warm build cache through
 * Slipway, against the same work done with the docker CLI (build, run, first
 * healthy response), alternating, in one run. Prints both medians and the ratio.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { removeSlipwayResources } from '../test/support/cleanup';
import {
  deployAndWait,
  engineWithClient,
  helloCopy,
  httpGet,
  scratchDir,
  stopEdgeProcess,
} from '../test/support/deploy-fixtures';

const ROUNDS = 7;
const APP = 'bench-hello';
const CLI_IMAGE = 'slipway-bench/hello-cli';
const CLI_LABEL = 'dev.slipway.bench=cli';
const docker = new Docker();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let ctx: ReturnType<typeof engineWithClient>;
let appDir: string;

beforeAll(async () => {
  scratch = await scratchDir('bench');
  appDir = await helloCopy(scratch.dir, APP);
  ctx = engineWithClient(path.join(scratch.dir, 'data'));
  await ctx.client.apps.create({ specPath: path.join(appDir, 'app.yaml') });
});

afterAll(async () => {
  await ctx.client.apps.delete({ app: APP }).catch(() => undefined);
  await ctx.engine.close();
  await stopEdgeProcess(path.join(scratch.dir, 'data'));
  await removeSlipwayResources(docker, { app: APP });
  for (const c of await docker.listContainers({ all: true, filters: { label: [CLI_LABEL] } })) {
    await docker.getContainer(c.Id).remove({ force: true });
  }
  await docker
    .getImage(CLI_IMAGE)
    .remove()
    .catch(() => undefined);
  await scratch.remove();
});

/** The same job by hand: docker build, docker run, poll until the page answers. */
async function dockerCliDeploy(): Promise<string> {
  const docker_ = (...args: string[]) => execFileSync('docker', args, { cwd: appDir, encoding: 'utf8' }).trim();
  docker_('build', '-q', '-t', CLI_IMAGE, '.');
  const id = docker_('run', '-d', '--init', '--label', CLI_LABEL, '-p', '127.0.0.1::8080', CLI_IMAGE);
  const port = docker_('port', id, '8080/tcp').split(':').pop()!;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await httpGet(`http://127.0.0.1:${port}/`, 1000).catch(() => null);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) throw new Error('the docker CLI deploy never answered');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return id;
}

it(
  'deploys examples/hello within 10% of the docker CLI',
  async () => {
    // Warm both caches first.
    expect((await deployAndWait(ctx.client, APP)).phase).toBe('ACTIVE');
    let cliContainer = await dockerCliDeploy();

    const slipway: number[] = [];
    const cli: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      const d = await deployAndWait(ctx.client, APP);
      slipway.push(performance.now() - start);
      expect(d.phase).toBe('ACTIVE');

      // Both sides remove the version they replace after the timed part.
      await ctx.engine.idle(APP);
      start = performance.now();
      const next = await dockerCliDeploy();
      cli.push(performance.now() - start);
      execFileSync('docker', ['rm', '-f', cliContainer]);
      cliContainer = next;
    }
    const ratio = median(slipway) / median(cli);
    console.log(
      [
        `deploy examples/hello, warm cache, ${ROUNDS} rounds, median:`,
        `  slipway:    ${median(slipway).toFixed(0)} ms  (${slipway.map((t) => t.toFixed(0)).join(', ')})`,
        `  docker CLI: ${median(cli).toFixed(0)} ms  (${cli.map((t) => t.toFixed(0)).join(', ')})`,
        `  ratio slipway / docker CLI: ${ratio.toFixed(2)}`,
      ].join('\n'),
    );
    expect(ratio).toBeLessThan(1.1);
  },
  10 * 60_000,
);
