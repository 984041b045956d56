import type { Deployment, ServiceEndpoint } from '../../../shared/deployment';
import { listSlipwayContainers } from '../docker/containers';
import { publishedPort } from '../docker/published-port';
import type { ComponentSpec } from '../../../shared/spec/app-spec';
import type { RouteChange, ServiceRouter, Upstream } from '../edge/service-router';
import { APP_ROUTE } from '../edge/app-route';
import { serviceUrl } from '../edge/service-url';
import type { DockerHost } from '../hosts/docker-host';
import type { RunContext } from './run-context';
import { routedComponents, routeOnServerEdge, serverEdge } from './server-edge-routes';
import { appPathRoutes, routesByPath } from '../../../shared/spec/path-routes';
import type { AppSpec } from '../../../shared/spec/app-spec';
import type { AppRecord } from '../store/state-store';
import { loadStoredSpec } from '../store/stored-spec';

/** The edge route of a service. */
export function routeKey(app: string, component: string): string {
  return `${app}/${component}`;
}

/** The app a route belongs to. */
export function appOfRoute(key: string): string {
  return key.slice(0, key.indexOf('/'));
}

/** The instances behind a route: each published port, reached over the host's loopback; instances without one are left out. */
export function upstreamsFor(
  host: Pick<DockerHost, 'connectLoopback'>,
  ports: Array<number | null | undefined>,
): Upstream[] {
  return ports
    .filter((port): port is number => Boolean(port))
    .map((port) => ({ port, connect: () => host.connectLoopback(port) }));
}

/** The host port a container publishes on the host's loopback, if it runs. */
export async function runningPort(host: DockerHost, id: string): Promise<{ running: boolean; port: number | null }> {
  const info = await host.docker
    .getContainer(id)
    .inspect()
    .catch(() => null);
  return { running: Boolean(info?.State.Running), port: publishedPort(info) };
}

/**
 * The app's own URL when its spec routes by path: each path to its component's stable port, so it never
 * changes with the instances. Null when each service has only its own URL (or no port is chosen yet).
 */
export function appRouteChange(app: AppRecord, spec: AppSpec): RouteChange | null {
  const port = app.hostPorts[APP_ROUTE];
  if (!port || !routesByPath(spec)) return null;
  const paths = appPathRoutes(spec).flatMap((r) => {
    const target = app.hostPorts[r.component];
    return target ? [{ prefix: r.prefix, port: target, preservePathPrefix: r.preservePathPrefix }] : [];
  });
  return { key: routeKey(app.name, APP_ROUTE), port, upstreams: [], paths };
}

/** The app's own URL as a deployment's spec routes it by path, if it does. */
export function deploymentAppRoute(app: AppRecord, deployment: Deployment): RouteChange | null {
  const spec = loadStoredSpec(deployment.specYaml).spec;
  return spec ? appRouteChange(app, spec) : null;
}

/** Points each service's route of a deployment at its running containers, and the app's URL at its paths, in one change. */
export async function routeDeployment(
  edge: ServiceRouter,
  host: DockerHost,
  deployment: Deployment,
  app: AppRecord,
): Promise<void> {
  const changes: RouteChange[] = [];
  for (const endpoint of deployment.endpoints) {
    const ports: number[] = [];
    for (const id of deployment.containers[endpoint.component] ?? []) {
      const { running, port } = await runningPort(host, id);
      if (running && port) ports.push(port);
    }
    changes.push({
      key: routeKey(deployment.app, endpoint.component),
      port: endpoint.hostPort,
      upstreams: upstreamsFor(host, ports),
    });
  }
  const appRoute = deploymentAppRoute(app, deployment);
  await edge.setRoutes(appRoute ? [...changes, appRoute] : changes);
}

/** Points a service's stable port at the instances publishing `ports`; resolves once connections go there. */
export async function routeService(run: RunContext, component: string, ports: Array<number | null | undefined>) {
  await run.edge.setRoute(
    routeKey(run.app.name, component),
    run.app.hostPorts[component]!,
    upstreamsFor(run.host, ports),
  );
  // A rolling restart moves the server edge's route with the tunnel's: the instances it dials are found by those ports.
  if (serverEdge(run.ctx, run.app, run.host) && routedComponents(run.spec).has(component)) {
    const wanted = new Set(ports.filter(Boolean));
    const ids = (await listSlipwayContainers(run.host, run.ctx.owner, run.app.name))
      .filter((c) => c.Ports.some((p) => wanted.has(p.PublicPort)))
      .map((c) => c.Id);
    const live = run.ctx.liveDeployment(run.app.name);
    await routeOnServerEdge(run.ctx, run.app, run.host, run.spec, { ...live?.containers, [component]: ids });
  }
}

/** Where a service answers: its stable port on the tunnel, and the server edge's public URLs when it serves it. */
export function endpointOf(component: string, hostPort: number, publicUrls: string[]): ServiceEndpoint {
  return {
    component,
    hostPort,
    url: serviceUrl(hostPort),
    ...(publicUrls.length > 0 ? { publicUrls: [...publicUrls] } : {}),
  };
}

/**
 * The switch: every service's stable port goes to its new instances in one
 * change, all or none, so a port that cannot be taken leaves the version
 * serving on every route. Returns where the services answer.
 */
export async function goLive(
  run: RunContext,
  services: Array<{ component: ComponentSpec; instances: Array<{ id?: string; hostPort: number | null }> }>,
): Promise<ServiceEndpoint[]> {
  // The server's edge first: it is the switch that can be refused (a host name another app took since
  // the preflight, a stale ETag), before any route has moved.
  const publicUrls = await routeOnServerEdge(run.ctx, run.app, run.host, run.spec, {
    ...run.deployment.containers,
    ...Object.fromEntries(
      services
        .filter(({ instances }) => instances.every((i) => i.id))
        .map(({ component, instances }) => [component.name, instances.map((i) => i.id!)]),
    ),
  });
  // From here on a route may lead to this deployment: a failure puts every one back (failure-cleanup.ts).
  run.switched = true;
  const appRoute = appRouteChange(run.app, run.spec);
  await run.edge.setRoutes([
    ...services.map(({ component, instances }) => ({
      key: routeKey(run.app.name, component.name),
      port: run.app.hostPorts[component.name]!,
      upstreams: upstreamsFor(
        run.host,
        instances.map((i) => i.hostPort),
      ),
    })),
    ...(appRoute ? [appRoute] : []),
  ]);
  // A spec that no longer routes by path gives its app URL up.
  if (!appRoute) await run.edge.removeRoute(routeKey(run.app.name, APP_ROUTE));
  for (const [component, urls] of publicUrls)
    for (const url of urls) run.log.write('deploy', `Public URL on ${run.app.server}'s edge: ${url}`, component);
  if (appRoute) run.log.write('deploy', `The app answers at ${serviceUrl(appRoute.port)}, routed by path`);
  return services.map(({ component }) => {
    const port = run.app.hostPorts[component.name]!;
    run.log.write('deploy', `${component.name} answers at ${serviceUrl(port)}`, component.name);
    return endpointOf(component.name, port, publicUrls.get(component.name) ?? []);
  });
}
