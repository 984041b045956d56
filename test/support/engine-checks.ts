import { readdir, readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { LABELS } from '../../src/shared/labels';
import { ENGINE_SCRIPT } from './slipway-process';

const TEST_RUN = 'SLIPWAY_TEST_RUN';

/**
 * Names this test run in the environment its engines inherit, so that a run
 * ends only its own engines, never those of another run on the same machine.
 */
export function markTestRun(): void {
  process.env[TEST_RUN] ??= `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The engine processes this test run started from this checkout's bundle, with the data folder each serves, read from /proc. */
async function engineProcesses(): Promise<Array<{ pid: number; home: string }>> {
  markTestRun();
  const ours = `${TEST_RUN}=${process.env[TEST_RUN]}`;
  const found: Array<{ pid: number; home: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes(ENGINE_SCRIPT)) continue;
    const environ = (await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '')).split('\0');
    if (!environ.includes(ours)) continue;
    const home = environ.find((v) => v.startsWith('SLIPWAY_HOME='))?.slice('SLIPWAY_HOME='.length);
    found.push({ pid: Number(entry), home: home ?? '(unknown)' });
  }
  return found;
}

/** Pids of the engine processes serving a data folder. */
export async function engineProcessesOf(dataDir: string): Promise<number[]> {
  return (await engineProcesses()).filter((p) => p.home === dataDir).map((p) => p.pid);
}

/**
 * Ends the engine processes a run left behind, by pid, and names them so that
 * the run fails: every test stops the engines it starts.
 */
export async function endLeftoverEngines(): Promise<string[]> {
  const left = await engineProcesses();
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return left.map(({ pid, home }) => `pid ${pid} (${home})`);
}

/** What a deployment left on the engine: containers with its label, and images tagged with its id. */
export async function leftoversOf(docker: Docker, app: string, deployment: string) {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.deployment}=${deployment}`] },
  });
  const images = (await docker.listImages({ filters: { label: [`${LABELS.app}=${app}`] } })).filter((image) =>
    (image.RepoTags ?? []).some((tag) => tag.endsWith(`:${deployment}`)),
  );
  return { containers: containers.map((c) => c.Id), images: images.map((i) => i.Id) };
}
