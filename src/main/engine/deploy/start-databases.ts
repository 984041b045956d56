import { SlipwayError } from '../../../shared/errors';
import { databaseImage, type DatabaseSpec } from '../../../shared/spec/database-spec';
import { LABELS } from '../../../shared/labels';
import { databaseVolumeName } from '../docker/database-options';
import { checkDatabaseVolume, ensureDatabase, listDatabaseContainers } from '../docker/databases';
import { ensureImage } from '../docker/ensure-image';
import { shipImage } from '../docker/ship-image';
import { waitHealthy } from '../health/wait-healthy';
import { containerTail, removeContainers } from '../docker/containers';
import type { DockerHost } from '../hosts/docker-host';
import type { RunContext } from './run-context';
import { databaseStep } from './step-tree';

/** How long a database may take to accept logins the first time (it initialises its volume then). */
const HEALTHY_WITHIN_SECONDS = 180;

/**
 * Starts the app's databases, each healthy before any component that binds it starts. A database already running
 * as the spec says is left as it is: its data never moves. Refused first, changing nothing, when a volume holds
 * data of another engine or major version.
 */
export async function startDatabases(run: RunContext): Promise<void> {
  const { databases } = run.spec;
  if (databases.length === 0) return;
  for (const db of databases) await checkDatabaseVolume(run.host, { owner: run.ctx.owner, app: run.app.name, db });
  await Promise.all(databases.map((db) => startDatabase(run, db)));
}

/**
 * Once the new version is live: the containers of databases its spec no longer declares are removed, their
 * volumes kept (the data goes only with `apps delete --delete-data`), so a database can come back with its data.
 */
export async function removeDroppedDatabases(run: RunContext): Promise<void> {
  const wanted = new Set(run.spec.databases.map((db) => db.name));
  const dropped = (await listDatabaseContainers(run.host, run.ctx.owner, run.app.name)).filter(
    (c) => !wanted.has(c.Labels[LABELS.database] ?? ''),
  );
  if (dropped.length === 0) return;
  await removeContainers(
    run.host,
    dropped.map((c) => c.Id),
    30,
  );
  for (const c of dropped) {
    const db = c.Labels[LABELS.database]!;
    run.log.write(
      'deploy',
      `${db} is no longer in the spec: its container is removed, its data stays on ${databaseVolumeName(run.app.name, db)}`,
      db,
    );
  }
}

async function startDatabase(run: RunContext, db: DatabaseSpec): Promise<void> {
  const step = databaseStep(db.name);
  await run.step(step, 'RUNNING');
  run.checkCanceled();
  const log = (line: string) => run.log.write('deploy', line, db.name);
  await ensureDatabaseImage(run, databaseImage(db), log);
  const id = await ensureDatabase(
    run.host,
    {
      owner: run.ctx.owner,
      app: run.app.name,
      db,
      password: run.urls.databases?.get(db.name)?.PASSWORD ?? '',
      network: run.network!,
    },
    log,
  );
  log(`Waiting until ${db.name} accepts logins`);
  try {
    await waitHealthy(run.host, id, { kind: 'docker', timeoutSeconds: HEALTHY_WITHIN_SECONDS }, run.signal);
  } catch (err) {
    for (const line of await containerTail(run.host, id, 20)) run.log.write('run', line, db.name);
    throw err;
  }
  log(`${db.name} is healthy`);
  await run.step(step, 'SUCCESS');
}

/**
 * The database's image on the app's engine: there already; else, for a server, shipped from this machine when this
 * machine has it (no registry needed, and what was tested here is what runs there); else pulled where it runs.
 */
async function ensureDatabaseImage(run: RunContext, image: string, log: (line: string) => void): Promise<void> {
  const has = (host: DockerHost) =>
    host.docker
      .getImage(image)
      .inspect()
      .then(
        () => true,
        () => false,
      );
  if (await has(run.host)) return;
  const local = run.ctx.localHost;
  if (run.host !== local && (await has(local))) {
    log(`Shipping ${image} from this machine to ${run.host.name}`);
    const bytes = await shipImage(local, run.host, image, run.signal);
    log(`Shipped ${image} (${(bytes / 1e6).toFixed(1)} MB)`);
    return;
  }
  try {
    await ensureImage(run.host, image, log);
  } catch (err) {
    throw new SlipwayError(
      'IMAGE_UNAVAILABLE',
      `${(err as Error).message}. Without a registry, \`npm run offline-images\` builds postgres:15 and redis:7 from Debian's packages.`,
      { image },
    );
  }
}
