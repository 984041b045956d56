import { APP_ROUTE } from '../edge/app-route';
import { RUNNING_PHASES, type Deployment, type ServiceEndpoint } from '../../../shared/deployment';
import { LABELS } from '../../../shared/labels';
import { listSlipwayContainers, removeContainers } from '../docker/containers';
import { removeDanglingAppImages } from '../docker/images';
import type { DockerHost } from '../hosts/docker-host';
import { engineAnswers } from '../docker/docker-errors';
import type { EngineContext } from '../engine-context';
import { appOfRoute, deploymentAppRoute, routeDeployment, routeKey, runningPort } from '../deploy/edge-routes';
import { pinAtGoLive } from '../deploy/rollback-pin';
import { routeDeploymentOnServerEdge } from '../deploy/server-edge-routes';
import { removeStalePublishers } from '../edge/edge-port-publisher';
import { canHostEdge, inspectEdge } from '../edge/server-edge-container';
import { dropStaleRoutes } from '../edge/server-edge-routes';
import { removeInterruptedDeployment } from '../deploy/failure-cleanup';
import { builderOf } from '../deploy/run-context';
import { closeOpenSteps, findStep } from '../deploy/step-tree';
import { serviceUrl } from '../edge/service-url';
import { loadStoredSpec } from '../store/stored-spec';
import type { AppRecord } from '../store/state-store';
import { servesHttp } from '../../../shared/component-kinds';

/** Where a deployment's services answer: each service's stable port on the app's edge. */
function serviceEndpoints(app: AppRecord | undefined, deployment: Deployment): ServiceEndpoint[] {
  const services = loadStoredSpec(deployment.specYaml).spec?.components.filter(servesHttp) ?? [];
  return services.flatMap((c) => {
    const port = app?.hostPorts[c.name];
    return port ? [{ component: c.name, hostPort: port, url: serviceUrl(port) }] : [];
  });
}

/** The server's Docker host if its engine answers now, else null. */
async function answeringHost(ctx: EngineContext, server: string): Promise<DockerHost | null> {
  const host = await ctx.hostFor(server).catch(() => null);
  return host && (await engineAnswers(host)) ? host : null;
}

/**
 * Makes Slipway's records and the engine's labelled containers agree, after a
 * start or a lost connection. A deployment a crash left running ends ERROR
 * (interrupted), or is completed when it had switched and its containers run;
 * containers of an app that are not its live version's are removed; the live
 * version itself is never touched. Apps this engine does not know are left alone.
 */
export async function reconcile(
  ctx: EngineContext,
  inFlight: (deploymentId: string) => boolean,
  observed: (containerId: string, running: boolean) => void,
): Promise<void> {
  const state = ctx.store.state;
  // An engine that does not answer now (this machine's or a server's) is reconciled when it is back:
  // what its containers do cannot be known until then, so nothing of its apps is decided.
  const hosts = new Map<string, DockerHost | null>();
  const hostOf = async (app: string) => {
    const server = state.apps.find((a) => a.name === app)?.server ?? 'local';
    if (!hosts.has(server)) hosts.set(server, await answeringHost(ctx, server));
    return hosts.get(server)!;
  };
  const appBusy = (app: string) => state.deployments.some((d) => d.app === app && inFlight(d.id));
  const builderFor = (app: string, host: DockerHost) => {
    const record = state.apps.find((a) => a.name === app);
    return record ? builderOf(ctx, record, host) : host;
  };
  for (const d of state.deployments.filter((x) => RUNNING_PHASES.includes(x.phase) && !inFlight(x.id))) {
    const host = await hostOf(d.app);
    if (!host) continue;
    const switched = ['RUNNING', 'SUCCESS'].includes(findStep(d.progress, 'deploy.switch')?.status ?? '');
    const ids = Object.values(d.containers).flat();
    const allRunning =
      ids.length > 0 && (await Promise.all(ids.map((id) => runningPort(host, id)))).every((c) => c.running);
    if (switched && allRunning) {
      const previous = ctx.liveDeployment(d.app);
      const record = state.apps.find((a) => a.name === d.app);
      if (record) await ctx.store.update(() => pinAtGoLive(record, d, previous?.id ?? null));
      if (previous) await ctx.saveDeployment(previous, (p) => void (p.phase = 'SUPERSEDED'));
      await ctx.saveDeployment(d, (x) => {
        // Cut off between the switch and the record of where it answers: its services answer at their stable ports.
        if (x.endpoints.length === 0)
          x.endpoints = serviceEndpoints(
            state.apps.find((a) => a.name === d.app),
            x,
          );
        x.phase = 'ACTIVE';
        x.finishedAt = new Date().toISOString();
        closeOpenSteps(x.progress, 'SUCCESS', 'completed after Slipway restarted');
      });
      continue;
    }
    await ctx.saveDeployment(d, (x) => {
      x.phase = 'ERROR';
      x.finishedAt = new Date().toISOString();
      x.error = { code: 'DEPLOY_FAILED', message: 'Interrupted: Slipway stopped while this deployment ran.' };
      closeOpenSteps(x.progress, 'ERROR', 'interrupted');
    });
    await removeInterruptedDeployment(ctx, host, builderFor(d.app, host), d);
    if (!appBusy(d.app)) await removeDanglingAppImages(builderFor(d.app, host), ctx.owner, d.app);
  }

  // Failed while its engine (or server) did not answer: what it made is removed now that it does.
  for (const d of state.deployments.filter((x) => x.cleanupPending && !inFlight(x.id))) {
    const host = await hostOf(d.app);
    const builder = host && builderFor(d.app, host);
    if (!host || !builder || (builder !== host && !(await engineAnswers(builder)))) continue;
    await removeInterruptedDeployment(ctx, host, builder, d);
    if (!appBusy(d.app)) await removeDanglingAppImages(builder, ctx.owner, d.app);
    await ctx.saveDeployment(d, (x) => void delete x.cleanupPending);
  }

  // Live already, cut off while the previous version drained: the stray sweep below removes what it was stopping.
  for (const d of state.deployments.filter((x) => x.phase === 'ACTIVE' && !x.finishedAt && !inFlight(x.id))) {
    if (!(await hostOf(d.app))) continue;
    await ctx.saveDeployment(d, (x) => {
      x.finishedAt = new Date().toISOString();
      closeOpenSteps(x.progress, 'SUCCESS', 'completed after Slipway restarted');
    });
  }

  for (const app of state.apps) {
    const host = await hostOf(app.name);
    if (!host) continue;
    const live = ctx.liveDeployment(app.name);
    const keep = new Set(live ? Object.values(live.containers).flat() : []);
    const busy = new Set(state.deployments.filter((d) => d.app === app.name && inFlight(d.id)).map((d) => d.id));
    const stray = (await listSlipwayContainers(host, ctx.owner, app.name)).filter(
      (c) => !keep.has(c.Id) && !busy.has(c.Labels[LABELS.deployment] ?? ''),
    );
    await removeContainers(
      host,
      stray.map((c) => c.Id),
      2,
    );
    if (!live) continue;
    for (const id of keep) observed(id, (await runningPort(host, id)).running);
    await routeDeployment(ctx.edgeFor(app.server), host, live, app).catch(() => undefined);
    // A server's edge removed or stopped by hand comes back with this app's routes (its instances may have new addresses).
    if (app.server !== 'local' && !appBusy(app.name)) await routeDeploymentOnServerEdge(ctx, app, host, live);
  }

  // A route no live version wants would serve whatever later takes its instance's port.
  const settled = (app: string) =>
    hosts.get(state.apps.find((a) => a.name === app)?.server ?? '') !== null && !appBusy(app);
  for (const server of new Set(['local', ...state.apps.map((a) => a.server)])) {
    await removeStaleRoutes(ctx, server, settled).catch(() => undefined);
  }
  // A server's edge serves only this installation's apps: routes, ports and publishers of apps deleted meanwhile go.
  for (const server of state.servers.filter((s) => s.edge)) {
    // Only servers reached already: reconciling never opens a connection for this alone.
    const host = hosts.get(server.name);
    const known = (app: string) => state.apps.some((a) => a.name === app && a.server === server.name);
    if (!host || !canHostEdge(host)) continue;
    await removeStalePublishers(host, ctx.owner, known).catch(() => undefined);
    if ((await inspectEdge(host).catch(() => null))?.State.Running)
      await dropStaleRoutes(host, known).catch(() => undefined);
  }
}

/** Removes the routes of an edge that belong to no app, or to a settled app's services its live version lacks. */
async function removeStaleRoutes(ctx: EngineContext, server: string, settled: (app: string) => boolean) {
  const edge = ctx.edgeFor(server);
  const apps = new Map(ctx.store.state.apps.map((a) => [a.name, a]));
  for (const key of await edge.routeKeys()) {
    const app = apps.get(appOfRoute(key));
    if (app && (app.server !== server || !settled(app.name))) continue;
    const live = app ? ctx.liveDeployment(app.name) : undefined;
    if (live?.endpoints.some((e) => routeKey(live.app, e.component) === key)) continue;
    if (app && live && key === routeKey(app.name, APP_ROUTE) && deploymentAppRoute(app, live)) continue;
    await edge.removeRoute(key);
  }
}
