import { readdirSync } from 'node:fs';
import type Docker from 'dockerode';
import { LABELS } from '../../../src/shared/labels';
import { cmdline } from '../../support/secret-sentinels';
import { Finding } from './fault-table';

/** A secret the scan looks for: any of its values found anywhere is that secret leaked. */
export interface Sentinel {
  /** Names it in a finding, e.g. `RUN_KEY (multi-line)`: never the value. */
  name: string;
  values: string[];
}

/** Something scanned: where it was (for the test output) and what it held. */
export interface Place {
  where: string;
  text: string;
}

/** The sentinels a text holds. */
export function sentinelsIn(text: string, sentinels: readonly Sentinel[]): Sentinel[] {
  return sentinels.filter((s) => s.values.some((v) => text.includes(v)));
}

/**
 * Fails with a Finding that names each sentinel found and in how many of the
 * places (`what` names one, e.g. "file"); the places
 * themselves go to the test output only.
 */
export function expectNoSentinel(places: readonly Place[], sentinels: readonly Sentinel[], what: string): void {
  const found = new Map<string, string[]>();
  for (const place of places) {
    for (const s of sentinelsIn(place.text, sentinels)) found.set(s.name, [...(found.get(s.name) ?? []), place.where]);
  }
  if (found.size === 0) return;
  throw new Finding(
    [...found].map(([name, where]) => `${name} in ${where.length} ${what}${where.length === 1 ? '' : 's'}`).join('; '),
    [...found].map(([name, where]) => `${name}: ${where.join(', ')}`).join('; '),
  );
}

/**
 * Reads every process's argv from /proc, as `ps` shows it to every local user:
 * on demand (`sample()`, at a moment a test knows git or a build runs) and
 * every `intervalMs` in between, keeping each argv that holds a sentinel.
 */
export class ArgvSampler {
  readonly leaks: Place[] = [];
  samples = 0;
  /** A process seen again in a later sample is one leak, not one per sample. */
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sentinels: readonly Sentinel[]) {}

  start(intervalMs = 100): void {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** One pass over /proc, synchronous so that the process a caller knows runs is still there; one that ends is skipped. */
  sample(): void {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      const argv = cmdline(pid)?.replaceAll('\0', ' ');
      if (!argv || sentinelsIn(argv, this.sentinels).length === 0 || this.seen.has(`${pid} ${argv}`)) continue;
      this.seen.add(`${pid} ${argv}`);
      this.leaks.push({ where: `pid ${pid}`, text: argv });
    }
    this.samples += 1;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * The labels of every container Docker creates for an app from now on, read
 * from Docker's event stream: those of failed and replaced deployments too,
 * whose containers are gone by the time the scan runs.
 */
export async function watchCreatedContainers(docker: Docker, app: string): Promise<{ seen: Place[]; close(): void }> {
  const stream = (await docker.getEvents({
    filters: { type: ['container'], event: ['create'], label: [`${LABELS.app}=${app}`] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  const seen: Place[] = [];
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line) as { Actor?: { ID?: string; Attributes?: Record<string, string> } };
      seen.push({ where: `container ${event.Actor?.ID ?? '?'}`, text: JSON.stringify(event.Actor?.Attributes ?? {}) });
    }
  });
  stream.on('error', () => undefined);
  return { seen, close: () => stream.destroy() };
}

/** The labels of an app's containers, images and networks as Docker holds them now. */
export async function labelsOfApp(docker: Docker, app: string): Promise<Place[]> {
  const label = [`${LABELS.app}=${app}`];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const images = await docker.listImages({ all: true, filters: { label } });
  const networks = await docker.listNetworks({ filters: { label } });
  return [
    ...containers.map((c) => ({ where: `container ${c.Id}`, text: JSON.stringify(c.Labels) })),
    ...images.map((i) => ({ where: `image ${i.Id}`, text: JSON.stringify(i.Labels ?? {}) })),
    ...networks.map((n) => ({ where: `network ${n.Id}`, text: JSON.stringify(n.Labels ?? {}) })),
  ];
}

/** One image's `docker history --no-trunc`: every layer's id and the command that made it. */
export interface ImageHistory {
  id: string;
  tags: string[];
  layers: Array<{ id: string; createdBy: string }>;
}

async function historyOf(docker: Docker, id: string, tags: string[]): Promise<ImageHistory | null> {
  try {
    const layers = (await docker.getImage(id).history()) as Array<{ Id: string; CreatedBy: string }>;
    return { id, tags, layers: layers.map((l) => ({ id: l.Id, createdBy: l.CreatedBy })) };
  } catch (err) {
    // Removed meanwhile (another test's image): nothing of it is left to hold anything.
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
}

/** The history of every image labelled with the app (the intermediate ones its builds made too). */
export async function historiesOfApp(docker: Docker, app: string): Promise<ImageHistory[]> {
  const images = await docker.listImages({ all: true, filters: { label: [`${LABELS.app}=${app}`] } });
  const found = await Promise.all(images.map((i) => historyOf(docker, i.Id, i.RepoTags ?? [])));
  return found.filter((h): h is ImageHistory => h !== null);
}

/**
 * The history of every image made since `sinceMs` that is neither one of the
 * given ones nor a layer under them: what a build left behind without a
 * label, which `apps delete` can never find. Other tests' images are among
 * them; the sentinels are this test's own, so only this test's leftovers can
 * hold one.
 */
export async function historiesOfOthers(
  docker: Docker,
  sinceMs: number,
  known: readonly ImageHistory[],
): Promise<ImageHistory[]> {
  const under = new Set(known.flatMap((h) => [h.id, ...h.layers.map((l) => l.id)]));
  const images = await docker.listImages({ all: true });
  const made = images.filter((i) => i.Created * 1000 >= sinceMs - 1000 && !under.has(i.Id));
  const found = await Promise.all(made.map((i) => historyOf(docker, i.Id, i.RepoTags ?? [])));
  return found.filter((h): h is ImageHistory => h !== null);
}

/** An image's history as places to scan, one per layer. */
export function historyPlaces(histories: readonly ImageHistory[]): Place[] {
  return histories.flatMap((h) => h.layers.map((l) => ({ where: `image ${h.id} layer ${l.id}`, text: l.createdBy })));
}

/**
 * The user's Dockerfile passes each build-time secret through `ARG` to a
 * `RUN`: Docker keeps the value in that layer's history. Each image that
 * holds one (or is a layer under one) must come from a build whose log
 * names it in a warning; `buildLogs` are by deployment id.
 */
export function checkBuildTimeWarnings(
  histories: readonly ImageHistory[],
  buildLogs: ReadonlyMap<string, string>,
  buildTime: Record<string, Sentinel>,
): void {
  for (const [key, sentinel] of Object.entries(buildTime)) {
    const warning = `Warning: secret ${key} is passed as a build argument`;
    const holding = histories.filter((h) => h.layers.some((l) => sentinelsIn(l.createdBy, [sentinel]).length > 0));
    if (holding.length === 0) throw new Finding(`no image history holds ${key}: the case was not exercised`);
    const warned = new Set(
      histories
        // A tag names the deployment that made or reused the image: `slipway/<app>-<component>:<id>`.
        .filter((h) => h.tags.some((t) => buildLogs.get(t.split(':').pop()!)?.includes(warning)))
        .flatMap((h) => [h.id, ...h.layers.map((l) => l.id)]),
    );
    const unwarned = holding.filter((h) => !warned.has(h.id));
    if (unwarned.length > 0)
      throw new Finding(`${unwarned.length} image(s) hold ${key} in their history with no warning naming it`);
  }
}
