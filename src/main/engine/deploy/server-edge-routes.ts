import type { Deployment } from '../../../shared/deployment';
import type { AppSpec } from '../../../shared/spec/app-spec';
import { appPathRoutes } from '../../../shared/spec/path-routes';
import type { EngineContext } from '../engine-context';
import { networkName } from '../docker/labels';
import { canHostEdge, ensureEdge, inspectEdge, leaveNetwork, type EdgeHost } from '../edge/server-edge-container';
import type { EdgePath, EdgeUpstream } from '../edge/caddy-config';
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

/** The components the app's domains lead to, by path: its routes, or its first service or static site at `/`. */
export function routedComponents(spec: AppSpec): Set<string> {
  return new Set(appPathRoutes(spec).map((r) => r.component));
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

/** An app's URL on a server's edge: HTTPS unless TLS is off, the port only when it is not the standard one. */
export function domainUrl(settings: ServerEdgeSettings, domain: string): string {
  return settings.tls === 'off'
    ? `http://${domain}${settings.httpPort === 80 ? '' : `:${settings.httpPort}`}`
    : `https://${domain}${settings.httpsPort === 443 ? '' : `:${settings.httpsPort}`}`;
}

/** A path of an app's URL: the URL itself for `/`. */
export function urlWithPath(url: string, prefix: string): string {
  return prefix === '/' ? url : `${url}${prefix}`;
}

/** Each routed component's public URLs on the server's edge: every domain's URL with the component's path. */
export function publicUrlsByComponent(
  settings: ServerEdgeSettings,
  spec: AppSpec,
  serving: (component: string) => boolean = () => true,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // Longest prefix first; a component's URL is its shortest path, so the last one wins.
  for (const route of appPathRoutes(spec)) {
    if (!serving(route.component)) continue;
    out.set(
      route.component,
      domainsOf(spec).map((d) => urlWithPath(domainUrl(settings, d), route.prefix)),
    );
  }
  return out;
}

/**
 * Points the app's domains at a deployment's instances, path by path, on the server's edge, recreating
 * the edge when it was removed. Returns each served component's public URLs; none without an edge or domains.
 */
export async function routeOnServerEdge(
  ctx: EngineContext,
  app: AppRecord,
  host: DockerHost,
  spec: AppSpec,
  containers: Deployment['containers'],
): Promise<Map<string, string[]>> {
  const edge = serverEdge(ctx, app, host);
  if (!edge) return new Map();
  const domains = domainsOf(spec);
  if (domains.length === 0) {
    // Nothing to serve: only a route the app had before goes, and a missing edge is not made for it.
    if ((await inspectEdge(edge.host))?.State.Running)
      await switchAppRoute(edge.host, app.name, [], [], knownOn(ctx, app.server));
    return new Map();
  }
  await ensureEdge(edge.host, ctx.localHost, ctx.owner, edge.settings);
  const upstreams = new Map<string, EdgeUpstream[]>();
  for (const name of routedComponents(spec)) {
    const port = spec.components.find((c) => c.name === name)?.httpPort;
    upstreams.set(name, port ? await edgeUpstreams(host, containers[name] ?? [], port) : []);
  }
  const paths: EdgePath[] = appPathRoutes(spec).map((r) => ({
    prefix: r.prefix,
    preservePathPrefix: r.preservePathPrefix,
    upstreams: upstreams.get(r.component) ?? [],
  }));
  await switchAppRoute(edge.host, app.name, domains, paths, knownOn(ctx, app.server));
  return publicUrlsByComponent(edge.settings, spec, (c) => (upstreams.get(c)?.length ?? 0) > 0);
}

/** At an app's deletion: its route leaves the server's edge, and the edge leaves the app's network. */
export async function forgetOnServerEdge(ctx: EngineContext, app: AppRecord, host: DockerHost): Promise<void> {
  const edge = serverEdge(ctx, app, host);
  if (!edge || !(await inspectEdge(edge.host))?.State.Running) return;
  await switchAppRoute(edge.host, app.name, [], [], knownOn(ctx, app.server));
  await leaveNetwork(edge.host, networkName(app.name));
}
