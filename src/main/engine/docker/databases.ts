/*
 * Runs the requests of database-options.ts against a Docker engine: an app's database containers and their data
 * volumes, found by label, never by name alone.
 */
import { createHash } from 'node:crypto';
import { SlipwayError } from '../../../shared/errors';
import { LABELS } from '../../../shared/labels';
import { majorVersion } from '../../../shared/spec/database-spec';
import type { DockerHost } from '../hosts/docker-host';
import { removeContainers } from './containers';
import {
  databaseCreateOptions,
  databaseVolumeName,
  databaseVolumeOptions,
  type DatabaseRequest,
} from './database-options';
import { isOwnedBy, labelFilter } from './labels';
import { isNotFound } from './docker-errors';

/** This installation's database containers of an app (all of them, or one database's). */
export async function listDatabaseContainers(host: DockerHost, owner: string, app: string, db?: string) {
  const filters = labelFilter(app);
  filters.label.push(db ? `${LABELS.database}=${db}` : LABELS.database);
  const all = await host.docker.listContainers({ all: true, filters });
  return all.filter((c) => isOwnedBy(owner, c.Labels));
}

/** This installation's database volumes of an app. */
export async function listDatabaseVolumes(host: DockerHost, owner: string, app: string) {
  const filters = labelFilter(app);
  filters.label.push(LABELS.database);
  const { Volumes } = await host.docker.listVolumes({ filters });
  return (Volumes ?? []).filter((v) => isOwnedBy(owner, v.Labels ?? undefined));
}

/**
 * Refuses, before anything changes, a database whose volume holds data of another engine or major version: that
 * data cannot be opened by the new one, and Slipway never converts or drops it.
 */
export async function checkDatabaseVolume(host: DockerHost, request: Omit<DatabaseRequest, 'password' | 'network'>) {
  const name = databaseVolumeName(request.app, request.db.name);
  let labels: Record<string, string>;
  try {
    labels = (await host.docker.getVolume(name).inspect()).Labels ?? {};
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const engine = labels[LABELS.databaseEngine];
  const major = labels[LABELS.databaseMajor];
  const wanted = { engine: request.db.engine, major: majorVersion(request.db.version) };
  if (engine === wanted.engine && major === wanted.major) return;
  throw new SlipwayError(
    'DATABASE_CHANGE_REFUSED',
    `databases: ${request.db.name} holds ${engine ?? 'unknown'} ${major ?? ''} data on ${name}, and the spec asks for ${wanted.engine} ${wanted.major}; Slipway does not convert data. Keep version ${major ?? '(as before)'} and engine ${engine ?? '(as before)'} in the spec, or dump the data, delete the app with --delete-data, and deploy again to start empty.`,
    { database: request.db.name, volume: name },
  );
}

/** What the container is made from, its password left out: equal digests mean nothing to replace. */
function configDigest(request: DatabaseRequest): string {
  const withoutSecret = JSON.stringify(databaseCreateOptions({ ...request, password: '' }, ''));
  return createHash('sha256').update(withoutSecret).digest('hex').slice(0, 16);
}

/**
 * Makes sure the database runs as the spec says: its volume (labelled) and its container, created when missing,
 * replaced when its image or settings changed (the data stays on the volume), started when stopped.
 */
export async function ensureDatabase(
  host: DockerHost,
  request: DatabaseRequest,
  log: (line: string) => void,
): Promise<string> {
  const volume = databaseVolumeName(request.app, request.db.name);
  try {
    await host.docker.getVolume(volume).inspect();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await host.docker.createVolume(databaseVolumeOptions(request));
    log(`Created the data volume ${volume}`);
  }
  const digest = configDigest(request);
  const options = databaseCreateOptions(request, digest);
  const existing = await listDatabaseContainers(host, request.owner, request.app, request.db.name);
  const current = existing.find((c) => c.Labels[LABELS.databaseConfig] === digest);
  const outdated = existing.filter((c) => c !== current).map((c) => c.Id);
  if (outdated.length > 0) {
    log('Its image or settings changed: replacing its container (the data stays on its volume)');
    await removeContainers(host, outdated, 30);
  }
  if (current) {
    if (current.State !== 'running') {
      await host.docker.getContainer(current.Id).start();
      log('Started its container again');
    }
    return current.Id;
  }
  const container = await host.docker.createContainer(options);
  await container.start();
  log(`Started ${request.db.engine} ${request.db.version} (${container.id.slice(0, 12)}) on ${volume}`);
  return container.id;
}

/** The size of each volume in bytes, when the engine tells (it counts them only when asked for disk usage). */
export async function volumeSizes(host: DockerHost, names: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (names.length === 0) return out;
  try {
    const usage = (await host.docker.df()) as { Volumes?: Array<{ Name: string; UsageData?: { Size?: number } }> };
    for (const v of usage.Volumes ?? []) {
      const size = v.UsageData?.Size;
      if (names.includes(v.Name) && typeof size === 'number' && size >= 0) out.set(v.Name, size);
    }
  } catch {
    // Sizes are a courtesy: a screen shows none rather than fail.
  }
  return out;
}

/** Removes an app's database containers; with `deleteData`, their volumes too. Says which volumes stay or went. */
export async function removeDatabases(host: DockerHost, owner: string, app: string, deleteData: boolean) {
  const containers = await listDatabaseContainers(host, owner, app);
  await removeContainers(
    host,
    containers.map((c) => c.Id),
    30,
  );
  const volumes = (await listDatabaseVolumes(host, owner, app)).map((v) => v.Name);
  if (!deleteData) return { kept: volumes, removed: [] as string[] };
  for (const name of volumes) {
    await host.docker
      .getVolume(name)
      .remove()
      .catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
  }
  return { kept: [] as string[], removed: volumes };
}
