/**
 * `npm run bench`: a warm redeploy (`apps redeploy`) of the Node fixture,
 * which has no Dockerfile, through Slipway, against the docker CLI building
 * the Dockerfile Slipway generates for it (`docker build` + `docker run` +
 * first healthy response), alternating, in one run. Prints both medians and
 * the ratio.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BuildPlan } from '../src/shared/build-plan';
import { removeSlipwayResources } from '../test/support/cleanup';
import { deployAndWait, engineWithClient, httpGet, scratchDir, stopEdgeProcess } from '../test/support/deploy-fixtures';

const ROUNDS = 5;
/** Every timed round, both sides, must end within this. */
const ROUND_LIMIT_MS = 60_000;
const APP = 'bench-node';
const CLI_IMAGE = 'slipway-bench/node-cli';
const CLI_LABEL = 'dev.slipway.bench=node-cli';
const NODE_APP = path.resolve(__dirname, '../test/fixtures/no-dockerfile/node-app');
const docker = new Docker();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

let scratch: Awaited<ReturnType<typeof scratchDir>>;
let ctx: ReturnType<typeof engineWithClient>;
let appDir: string;
/** The same source for the docker CLI, with Slipway's generated Dockerfile and files added. */
let cliDir: string;
let plan: BuildPlan;
/** The service's http_port, which the generated Dockerfile sets as PORT. */
let httpPort: number;

beforeAll(async () => {
  scratch = await scratchDir('bench-node');
  appDir = path.join(scratch.dir, APP);
  await cp(NODE_APP, appDir, { recursive: true });
  const specPath = path.join(appDir, 'app.yaml');
  await writeFile(specPath, (await readFile(specPath, 'utf8')).replace(/^name: .*$/m, `name: ${APP}`));
  ctx = engineWithClient(path.join(scratch.dir, 'data'));
  const loaded = await ctx.client.apps.validateSpec({ specYaml: await readFile(specPath, 'utf8') });
  expect(loaded.errors).toEqual([]);
  httpPort = loaded.spec!.components[0]!.httpPort!;
  const planned = await ctx.client.apps.planSpec({ specPath: appDir });
  expect(planned.errors).toEqual([]);
  expect(planned.plans).toHaveLength(1);
  plan = planned.plans[0]!;
  expect(plan.recipe).toBe('node');
  cliDir = path.join(scratch.dir, 'cli');
  await cp(appDir, cliDir, { recursive: true });
  for (const [file, text] of Object.entries({ '.slipway/Dockerfile': plan.dockerfile!, ...plan.files })) {
    await mkdir(path.dirname(path.join(cliDir, file)), { recursive: true });
    await writeFile(path.join(cliDir, file), text);
  }
  await ctx.client.apps.create({ specPath });
});

afterAll(async () => {
  await ctx?.client.apps.delete({ app: APP }).catch(() => undefined);
  await ctx?.engine.close();
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

/** The same job by hand: docker build of the generated Dockerfile, docker run, poll until the page answers. */
async function dockerCliDeploy(port: number): Promise<string> {
  const docker_ = (...args: string[]) =>
    execFileSync('docker', args, { cwd: cliDir, encoding: 'utf8', timeout: ROUND_LIMIT_MS }).trim();
  docker_('build', '-q', '-f', '.slipway/Dockerfile', '-t', CLI_IMAGE, '.');
  const id = docker_('run', '-d', '--init', '--label', CLI_LABEL, '-p', `127.0.0.1::${port}`, CLI_IMAGE);
  const published = docker_('port', id, `${port}/tcp`).split(':').pop()!;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await httpGet(`http://127.0.0.1:${published}/`, 1000).catch(() => null);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) throw new Error('the docker CLI deploy never answered');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return id;
}

it(
  'redeploys the Node fixture (generated Dockerfile) beside the docker CLI',
  async () => {
    // Warm both caches first: the first deploy builds, the CLI's first build reuses nothing of it.
    const first = await deployAndWait(ctx.client, APP);
    expect(first.phase, first.error?.message).toBe('ACTIVE');
    let cliContainer = await dockerCliDeploy(httpPort);

    const slipway: number[] = [];
    const cli: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      const d = await deployAndWait(ctx.client, APP, { source: 'same-revision' });
      slipway.push(performance.now() - start);
      expect(d.phase, d.error?.message).toBe('ACTIVE');

      // Both sides remove the version they replace after the timed part.
      await ctx.engine.idle(APP);
      start = performance.now();
      const next = await dockerCliDeploy(httpPort);
      cli.push(performance.now() - start);
      execFileSync('docker', ['rm', '-f', cliContainer]);
      cliContainer = next;
      expect(slipway.at(-1)! + cli.at(-1)!, `round ${round} took too long`).toBeLessThan(ROUND_LIMIT_MS);
    }
    const ratio = median(slipway) / median(cli);
    console.log(
      [
        `redeploy test/fixtures/no-dockerfile/node-app (generated Dockerfile), warm cache, ${ROUNDS} rounds, median:`,
        `  slipway:    ${median(slipway).toFixed(0)} ms  (${slipway.map((t) => t.toFixed(0)).join(', ')})`,
        `  docker CLI: ${median(cli).toFixed(0)} ms  (${cli.map((t) => t.toFixed(0)).join(', ')})`,
        `  ratio slipway / docker CLI: ${ratio.toFixed(2)}`,
      ].join('\n'),
    );
    // Printed, not asserted: Slipway also proves the app listens (its TCP health check holds the
    // connection open for at least 100 ms), which the docker CLI never does.
    expect(Number.isFinite(ratio)).toBe(true);
  },
  10 * 60_000,
);
