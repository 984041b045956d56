import type Docker from 'dockerode';
import type { contract } from '../../../src/shared/contract';
import { FINISHED_PHASES, type Deployment } from '../../../src/shared/deployment';
import type { Client } from '../../../src/shared/rpc/client';
import { findStep } from '../../../src/main/engine/deploy/step-tree';
import { readJson, edgeRoutesPath, edgeStatePath, type EdgeRoutesFile } from '../../../src/main/engine/edge/edge-files';
import { eventually } from '../../support/deploy-fixtures';
import { engineProcessesOf } from '../../support/engine-checks';
import { exitOf } from '../../support/slipway-process';

type SlipwayClient = Client<typeof contract>;

/** The status of a step of a deployment's progress tree, e.g. `deploy.web.wait`. */
export function stepStatus(d: Deployment, name: string): string | undefined {
  return findStep(d.progress, name)?.status;
}

/**
 * Polls the engine's record of a deployment until `reached` holds, within a
 * bound; fails at once if the deployment finishes first (the fault would hit
 * nothing).
 */
export async function waitForRecord(
  client: SlipwayClient,
  app: string,
  id: string,
  reached: (d: Deployment) => boolean,
  timeoutMs = 60_000,
): Promise<Deployment> {
  return eventually(async () => {
    const d = await client.apps.getDeployment({ app, deployment: id });
    if (reached(d)) return d;
    if (FINISHED_PHASES.includes(d.phase)) {
      throw new Error(`deployment ${id} ended ${d.phase} before the fault: ${d.error?.message ?? ''}`);
    }
    return null;
  }, timeoutMs);
}

/**
 * Polls a deployment's build log until the step whose line matches `step`
 * runs in its container, within a bound; returns that container's short id.
 */
export async function waitForBuildStep(
  client: SlipwayClient,
  app: string,
  id: string,
  step: RegExp,
  timeoutMs = 60_000,
): Promise<string> {
  return eventually(async () => {
    const lines = (await client.apps.readLogs({ app, type: 'build', deployment: id })).map((l) => l.line.trimEnd());
    const at = lines.findIndex((line) => /^Step \d+\/\d+ : /.test(line) && step.test(line));
    const running = at < 0 ? undefined : /^ ---> Running in ([0-9a-f]{12})$/.exec(lines[at + 1] ?? '')?.[1];
    if (running) return running;
    const d = await client.apps.getDeployment({ app, deployment: id });
    if (FINISHED_PHASES.includes(d.phase))
      throw new Error(`deployment ${id} ended ${d.phase} before its build step ran`);
    return null;
  }, timeoutMs);
}

/** Kills the one engine process serving a data folder with SIGKILL, as a crash would, and waits until it is gone. */
export async function killEngine(dataDir: string): Promise<number> {
  const pids = await engineProcessesOf(dataDir);
  if (pids.length !== 1) throw new Error(`expected one engine process for ${dataDir}, found ${pids.length}`);
  process.kill(pids[0]!, 'SIGKILL');
  await exitOf(pids[0]!);
  return pids[0]!;
}

/** The pid of a data folder's edge process, from the state file it writes. */
export async function edgePid(dataDir: string): Promise<number> {
  const state = await readJson<{ pid: number }>(edgeStatePath(dataDir));
  if (!state?.pid) throw new Error(`no edge process runs for ${dataDir}`);
  return state.pid;
}

/** True once the routes file the engine writes sends a service's port to `upstreamPort`. */
export async function routesPointAt(dataDir: string, upstreamPort: number): Promise<boolean> {
  const file = await readJson<EdgeRoutesFile>(edgeRoutesPath(dataDir));
  return Boolean(file?.routes.some((r) => r.upstreams.includes(upstreamPort)));
}

/** Lets a held health check pass: creates `/www/ready` in the container, by argv through the Docker API. */
export async function allowHealth(docker: Docker, containerId: string): Promise<void> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: ['touch', '/www/ready'] });
  const stream = await exec.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.resume();
  });
  // Docker records an exec's exit code a moment after its output ends: until then it reads as running, code null.
  const { ExitCode } = await eventually(async () => {
    const state = await exec.inspect();
    return state.Running ? null : state;
  }, 10_000);
  if (ExitCode !== 0) throw new Error(`touch /www/ready exited ${ExitCode} in ${containerId}`);
}
