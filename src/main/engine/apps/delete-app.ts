import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DeploymentStop } from '../deploy/deploy-queue';
import { forgetOnServerEdge } from '../deploy/server-edge-routes';
import { listSlipwayContainers, removeContainers } from '../docker/containers';
import { databaseVolumeName } from '../docker/database-options';
import { removeDatabases } from '../docker/databases';
import { appImageTags, removeImagesQuietly } from '../docker/images';
import { isOwnedBy, labelFilter, networkName } from '../docker/labels';
import { appOrThrow } from './app-lookup';
import type { AppsScope } from './apps-scope';

/**
 * Deletes an app: its deployments stopped and dropped, its routes, containers (its databases' too),
 * images and network removed (by label), then its records, logs and git cache. Its databases' volumes stay
 * unless `deleteData`.
 */
export async function deleteApp(
  scope: AppsScope,
  app: string,
  deleteData = false,
): Promise<{ deleted: string; volumes: { kept: string[]; removed: string[] } }> {
  const { ctx, queue } = scope;
  const record = appOrThrow(ctx, app);
  queue.clearWaiting(app);
  queue.stopRunning(app, new DeploymentStop('cancel', 'deleting the app'));
  await queue.idle(app);
  await ctx.edgeFor(record.server).removeRoutesWithPrefix(`${app}/`);
  const host = await ctx.hostFor(record.server);
  // Its host names stop being served (a 404, not a dead upstream) and the edge leaves its network.
  await forgetOnServerEdge(ctx, record, host).catch(() => undefined);
  const containers = await listSlipwayContainers(host, ctx.owner, app);
  await removeContainers(
    host,
    containers.map((c) => c.Id),
    5,
  );
  // The data outlives the app unless asked: a deleted app is often recreated, and data is what cannot be rebuilt.
  const volumes = await removeDatabases(host, ctx.owner, app, deleteData);
  await removeImagesQuietly(host, await appImageTags(host, ctx.owner, app));
  // Images built here and shipped to a server leave their build behind on this machine.
  if (record.server !== 'local')
    await removeImagesQuietly(ctx.localHost, await appImageTags(ctx.localHost, ctx.owner, app));
  const networks = await host.docker.listNetworks({ filters: labelFilter(app) });
  for (const n of networks.filter((n) => n.Name === networkName(app) && isOwnedBy(ctx.owner, n.Labels))) {
    await host.docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  }
  await ctx.store.update((state) => {
    const kept = volumes.kept.flatMap((volume) => {
      const db = Object.keys(record.databases ?? {}).find((name) => databaseVolumeName(app, name) === volume);
      const password = db && record.databases?.[db]?.password;
      return db && password ? [{ server: record.server, app, db, volume, password }] : [];
    });
    const others = (state.keptDatabases ?? []).filter((k) => !(k.server === record.server && k.app === app));
    if (kept.length > 0 || others.length !== (state.keptDatabases ?? []).length)
      state.keptDatabases = [...others, ...kept];
    state.apps = state.apps.filter((a) => a.name !== app);
    state.deployments = state.deployments.filter((d) => d.app !== app);
  });
  await ctx.logs.removeApp(app);
  await rm(path.join(ctx.dataDir, 'cache', 'git', app), { recursive: true, force: true });
  scope.emit({ type: 'app-deleted', app });
  return { deleted: record.name, volumes };
}
