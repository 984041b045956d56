import type { Deployment } from '../../../shared/deployment';
import type { AppSpec } from '../../../shared/spec/app-spec';
import { appPathRoutes } from '../../../shared/spec/path-routes';
import type { EngineContext } from '../engine-context';
import { networkName } from '../docker/labels';
import {
  canHostEdge,
  edgeNetworkRanges,
  ensureEdge,
  inspectEdge,
  leaveNetwork,
  type EdgeHost,
} from '../edge/server-edge-container';
import type { EdgePath, EdgeUpstream } from '../edge/caddy-config';
import { ensurePublisher, portUrl, removePublishers } from '../edge/edge-port-publisher';
import {
  checkDomainsFree,
  edgeUpstreams,
  NOWHERE,
  switchAppRoute,
  type AppPlacement,
} from '../edge/server-edge-routes';
import type { DockerHost } from '../hosts/docker-host';
import type { AppRecord, ServerEdgeSettings } from '../store/state-store';
import { loadStoredSpec } from '../store/stored-spec';

/**
 * The server's edge settings when it has one enabled and Slipway can reach its admin socket; what it
 * makes runs the pinned image.
 */
export function serverEdge(
  ctx: EngineContext,
  app: AppRecord,
  host: DockerHost,
): { settings: ServerEdgeSettings; host: EdgeHost } | null {
  const settings = ctx.store.state.servers.find((s) => s.name === app.server)?.edge;
  if (!settings || !canHostEdge(host)) return null;
  return { settings: { ...settings, image: settings.pinnedImage ?? settings.image }, host };
}

/** The components the app's URL leads to, by path: its routes, or its first service or static site at `/`. */
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

/**
 * Where the server's edge serves the app, settled before anything is built so its URLs are known at
 * deploy time: its domains, or, without any, a port of its own, assigned once and kept (its publisher
 * made now). NOWHERE without an edge or anything to serve. Claims on host names are checked apart
 * (`checkEdgeDomains` before the build, and the switch itself refuses them).
 */
export async function placeOnServerEdge(
  ctx: EngineContext,
  app: AppRecord,
  host: DockerHost,
  spec: AppSpec,
): Promise<AppPlacement> {
  const edge = serverEdge(ctx, app, host);
  if (!edge || routedComponents(spec).size === 0) return NOWHERE;
  // A missing edge (removed by hand) comes back first, with the routes it saved.
  await ensureEdge(edge.host, ctx.localHost, ctx.owner, edge.settings);
  const domains = domainsOf(spec);
  if (domains.length > 0) return { domains, port: null };
  const taken = new Set(
    ctx.store.state.apps.filter((a) => a.server === app.server && a.name !== app.name).flatMap((a) => a.edgePort ?? []),
  );
  const port = await ensurePublisher(host, ctx.localHost, ctx.owner, edge.settings, app.name, app.edgePort, taken);
  if (app.edgePort !== port) await ctx.store.update(() => void (app.edgePort = port));
  return { domains: [], port, trustedProxies: await edgeNetworkRanges(host) };
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

/** The app's URLs on its server's edge, before any path: each domain's, or its own port's; none without an edge. */
export function edgeBaseUrls(ctx: EngineContext, app: AppRecord, spec: AppSpec): string[] {
  const server = ctx.store.state.servers.find((s) => s.name === app.server);
  if (!server?.edge || routedComponents(spec).size === 0) return [];
  const domains = domainsOf(spec);
  if (domains.length > 0) return domains.map((d) => domainUrl(server.edge!, d));
  return app.edgePort ? [portUrl(server.edge.bind, server.host, app.edgePort)] : [];
}

/** Each routed component's public URLs: every one of the app's edge URLs with the component's path. */
export function publicUrlsByComponent(
  bases: readonly string[],
  spec: AppSpec,
  serving: (component: string) => boolean = () => true,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (bases.length === 0) return out;
  // Longest prefix first; a component's URL is its shortest path, so the last one wins.
  for (const route of appPathRoutes(spec)) {
    if (serving(route.component))
      out.set(
        route.component,
        bases.map((b) => urlWithPath(b, route.prefix)),
      );
  }
  return out;
}

/**
 * Points the app's domains, or its own port, at a deployment's instances, path by path, on the server's
 * edge, recreating the edge (and the port's publisher) when removed. Returns each served component's
 * public URLs; none without an edge.
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
  const placement = await placeOnServerEdge(ctx, app, host, spec);
  if (placement === NOWHERE) {
    // Nothing to serve: only what the app had before goes, and a missing edge is not made for it.
    if ((await inspectEdge(edge.host))?.State.Running)
      await switchAppRoute(edge.host, app.name, NOWHERE, [], knownOn(ctx, app.server));
    await removePublishers(host, ctx.owner, app.name);
    return new Map();
  }
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
  await switchAppRoute(edge.host, app.name, placement, paths, knownOn(ctx, app.server));
  // An app that has a domain now no longer needs its own port's publisher (the port stays its own).
  if (placement.port === null) await removePublishers(host, ctx.owner, app.name);
  return publicUrlsByComponent(edgeBaseUrls(ctx, app, spec), spec, (c) => (upstreams.get(c)?.length ?? 0) > 0);
}

/** Routes a recorded deployment (the live one, after a failure or a lost connection) on the server's edge; never throws. */
export async function routeDeploymentOnServerEdge(
  ctx: EngineContext,
  app: AppRecord,
  host: DockerHost,
  deployment: Deployment,
): Promise<void> {
  const spec = loadStoredSpec(deployment.specYaml).spec;
  if (spec) await routeOnServerEdge(ctx, app, host, spec, deployment.containers).catch(() => undefined);
}

/** At an app's deletion: its routes and port leave the server's edge, and the edge leaves the app's network. */
export async function forgetOnServerEdge(ctx: EngineContext, app: AppRecord, host: DockerHost): Promise<void> {
  const edge = serverEdge(ctx, app, host);
  if (!edge) return;
  await removePublishers(host, ctx.owner, app.name);
  if (!(await inspectEdge(edge.host))?.State.Running) return;
  await switchAppRoute(edge.host, app.name, NOWHERE, [], knownOn(ctx, app.server));
  await leaveNetwork(edge.host, networkName(app.name));
}
