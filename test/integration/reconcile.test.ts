import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/shared/deployment';
import { LABELS } from '../../src/shared/labels';
import type { SlipwayState } from '../../src/main/engine/store/state-store';
import { removeSlipwayResources } from '../support/cleanup';
import {
  engineWithClient,
  eventually,
  httpGet,
  scratchDir,
  stopEdgeProcess,
  writeSiteApp,
} from '../support/deploy-fixtures';
import { enginePid, exitOf, slipwayEnv, stopEngineProcess } from '../support/slipway-process';

const docker = new Docker();
const APP = 'itest-crash';
const CLI = path.resolve(__dirname, '../../out/cli/index.mjs');

describe('reconciliation after the engine process is killed', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let data: string;
  let dir: string;
  let live: Deployment;

  /** Runs the bundled CLI in its own process, as a user would, on the test's data folder. */
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { env: slipwayEnv(data), encoding: 'utf8' });

  const readState = async () => JSON.parse(await readFile(path.join(data, 'state.json'), 'utf8')) as SlipwayState;

  /** Starts a deployment from the CLI and SIGKILLs the engine process once `reached` holds for it. */
  async function killDeployWhen(reached: (d: Deployment) => boolean): Promise<string> {
    const queued = cli('apps', 'deploy', APP, '--output', 'json');
    expect(queued.status, queued.stderr).toBe(0);
    const id = (JSON.parse(queued.stdout) as Deployment).id;
    await eventually(async () => {
      const state = await readState().catch(() => null);
      const d = state?.deployments.find((x) => x.id === id);
      return d && reached(d) ? d : null;
    }, 60_000);
    const pid = (await enginePid(data))!;
    process.kill(pid, 'SIGKILL');
    await exitOf(pid);
    return id;
  }

  /** Opens a new engine on the data folder (reconciling), checks the outcome, and closes it again. */
  async function restartAndCheck(interrupted: string) {
    const ctx = engineWithClient(data);
    try {
      await ctx.engine.start();
      const d = await ctx.client.apps.getDeployment({ app: APP, deployment: interrupted });
      expect(d.phase).toBe('ERROR');
      expect(d.error?.message).toMatch(/interrupted/i);
      const app = await ctx.client.apps.get({ app: APP });
      expect(app.liveDeployment?.id).toBe(live.id);
      expect(app.status).toBe('live');
      const labelled = await docker.listContainers({ all: true, filters: { label: [`${LABELS.app}=${APP}`] } });
      expect(labelled.map((c) => c.Id).sort()).toEqual(Object.values(live.containers).flat().sort());
      expect(labelled.every((c) => c.State === 'running')).toBe(true);
      expect((await httpGet(live.endpoints[0]!.url)).body).toBe('crash v1\n');
    } finally {
      await ctx.engine.close();
    }
  }

  beforeAll(async () => {
    scratch = await scratchDir('crash');
    data = path.join(scratch.dir, 'data');
    dir = await writeSiteApp(scratch.dir, { name: APP, page: 'crash v1\n' });
    expect(cli('apps', 'create', '--spec', path.join(dir, 'app.yaml')).status).toBe(0);
    const deployed = cli('apps', 'deploy', APP, '--wait', '--output', 'json');
    expect(deployed.status, deployed.stderr).toBe(0);
    live = JSON.parse(deployed.stdout) as Deployment;
    expect(live.phase).toBe('ACTIVE');
    // The tests below open the data folder in this process, so no engine process may hold it.
    await stopEngineProcess(data);
  });

  afterAll(async () => {
    cli('apps', 'delete', APP);
    await stopEngineProcess(data);
    await stopEdgeProcess(data);
    await removeSlipwayResources(docker, { app: APP });
    await scratch.remove();
  });

  it('ends a deployment killed during its build ERROR (interrupted) and keeps the live version', async () => {
    const dockerfile = path.join(dir, 'Dockerfile');
    const original = await readFile(dockerfile, 'utf8');
    await writeFile(dockerfile, original.replace('COPY site/', 'RUN sleep 30\nCOPY site/'));
    const interrupted = await killDeployWhen(
      (d) => d.phase === 'BUILDING' && Boolean(d.progress[0]?.steps?.[1]?.startedAt),
    );
    await writeFile(dockerfile, original);
    await restartAndCheck(interrupted);
  });

  it('ends a deployment killed during its health check ERROR (interrupted) and removes its containers', async () => {
    const spec = path.join(dir, 'app.yaml');
    const original = await readFile(spec, 'utf8');
    await writeFile(
      spec,
      original.replace('http_path: /', 'http_path: /never\n      period_seconds: 1\n      failure_threshold: 50'),
    );
    expect(cli('apps', 'update', APP, '--spec', spec).status).toBe(0);
    const interrupted = await killDeployWhen((d) => (d.containers.web?.length ?? 0) > 0);
    await writeFile(spec, original);
    // The killed deployment's container is still there until reconciliation.
    expect(
      (await docker.listContainers({ all: true, filters: { label: [`${LABELS.deployment}=${interrupted}`] } })).length,
    ).toBe(1);
    await restartAndCheck(interrupted);
  });
});
