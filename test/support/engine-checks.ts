import { readdir, readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { LABELS } from '../../src/shared/labels';
import { ENGINE_SCRIPT } from './slipway-process';

/** Pids of the engine processes (of this checkout's bundle) serving a data folder, read from /proc. */
export async function engineProcessesOf(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes(ENGINE_SCRIPT)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(`SLIPWAY_HOME=${dataDir}`)) pids.push(Number(entry));
  }
  return pids;
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
