import { servesHttp } from '../../../shared/component-kinds';
import type { Deployment } from '../../../shared/deployment';
import type { AppSpec, ComponentSpec } from '../../../shared/spec/app-spec';
import type { EngineContext } from '../engine-context';
import { networkName } from '../docker/labels';
import { canHostEdge, ensureEdge, inspectEdge, leaveNetwork, type EdgeHost } from '../edge/server-edge-container';
import { checkDomainsFree, edgeUpstreams, switchAppRoute } from '../edge/server-edge-routes';
import type { DockerHost } from '../hosts/docker-host';
import type { AppRecord, ServerEdgeSettings } from '../store/state-store';

/** The server's edge settings when it has one enabled and Slipway can reach its admin socket. */
export function serverEdge(
  ctx: EngineContext,
  app: AppRecord,
  host: DockerHost,
): { settings: ServerEdgeSettings; host: EdgeHost } | null {
  const settings = ctx.store.state.servers.find((s) => s.name === app.server)?.edge;
  return settings && canHostEdge(host) ? { settings, host } : null;
}

/**
 * The component the app's domains lead to: its first service or static site (DigitalOcean's `/`).
 * Path routing by `ingress` comes later; until then the other components are not on the domains.
 */
export function domainComponent(spec: AppSpec): ComponentSpec | null {
  return spec.components.find((c) => servesHttp(c) && c.httpPort) ?? null;
}

/** The apps Slipway has on the app's server: only their routes are kept on its edge. */
function knownOn(ctx: EngineContext, server: string) {
  return (name: string) => ctx.store.state.apps.some((a) => a.name === name && a.server === server);
}

function domainsOf(spec: AppSpec): string[] {
  return spec.domains?.map((d) => d.domain) ?? [];
}

/** Before anything is switched: refuses the spec's host names when another app on the edge holds one. */
export async function checkEdgeDomains(ctx: EngineContext, app: AppRecord, host: DockerHost, spec: AppSpec) {
  const edge = serverEdge(ctx, app, host);
  const domains = domainsOf(spec);
  if (!edge || domains.length === 0) return;
  // A missing edge (removed by hand) comes back first, with the routes it saved.
  await ensureEdge(edge.host, ctx.localHost, ctx.owner, edge.settings);
  await checkDomainsFree(edge.host, app.name, domains, knownOn(ctx, app.server));
}

/**
 * Points the app's domains at a deployment's instances of its domain component on the server's edge,
 * recreating the edge when it was removed. Returns the public URLs, or none without an edge or domains.
 */
export async function routeOnServerEdge(
  ctx: EngineContext,
  app: AppRecord,
  host: DockerHost,
  spec: AppSpec,
  containers: Deployment['containers'],
): Promise<string[]> {
  const edge = serverEdge(ctx, app, host);
  if (!edge) return [];
  const domains = domainsOf(spec);
  const component = domainComponent(spec);
  if (domains.length === 0) {
    // Nothing to serve: only a route the app had before goes, and a missing edge is not made for it.
    if ((await inspectEdge(edge.host))?.State.Running)
      await switchAppRoute(edge.host, app.name, [], [], knownOn(ctx, app.server));
    return [];
  }
  await ensureEdge(edge.host, ctx.localHost, ctx.owner, edge.settings);
  const upstreams = component ? await edgeUpstreams(host, containers[component.name] ?? [], component.httpPort!) : [];
  await switchAppRoute(edge.host, app.name, component ? domains : [], upstreams, knownOn(ctx, app.server));
  if (!component || upstreams.length === 0) return [];
  const { tls, httpPort, httpsPort } = edge.settings;
  return domains.map((d) =>
    tls === 'off'
      ? `http://${d}${httpPort === 80 ? '' : `:${httpPort}`}`
      : `https://${d}${httpsPort === 443 ? '' : `:${httpsPort}`}`,
  );
}

/** At an app's deletion: its route leaves the server's edge, and the edge leaves the app's network. */
export async function forgetOnServerEdge(ctx: EngineContext, app: AppRecord, host: DockerHost): Promise<void> {
  const edge = serverEdge(ctx, app, host);
  if (!edge || !(await inspectEdge(edge.host))?.State.Running) return;
  await switchAppRoute(edge.host, app.name, [], [], knownOn(ctx, app.server));
  await leaveNetwork(edge.host, networkName(app.name));
}
