import { readdir, readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { LABELS } from '../../src/shared/labels';
import { ENGINE_SCRIPT } from './slipway-process';

/** The engine processes of this checkout's bundle (the tests' own), with the data folder each serves, read from /proc. */
async function engineProcesses(): Promise<Array<{ pid: number; home: string }>> {
  const found: Array<{ pid: number; home: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes(ENGINE_SCRIPT)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    const home = environ
      .split('\0')
      .find((v) => v.startsWith('SLIPWAY_HOME='))
      ?.slice('SLIPWAY_HOME='.length);
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
