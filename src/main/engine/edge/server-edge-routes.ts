import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from '../hosts/docker-host';
import {
  claimedElsewhere,
  edgePorts,
  edgeRoutes,
  serversOf,
  withAppPort,
  withAppRoute,
  type CaddyConfig,
  type CaddyServers,
  type EdgePath,
  type EdgeUpstream,
} from './caddy-config';
import type { CaddyAdmin } from './caddy-admin';
import { EDGE_NETWORK, edgeAdmin, joinEdgeNetwork, joinNetwork, type EdgeHost } from './server-edge-container';

/**
 * Where the edge dials each instance: by its container name, on a network it shares with the edge
 * (the app's network, which the edge joins, or the edge's own, which a lone instance on Docker's
 * default bridge joins). A name survives a restart of the server's Docker; an address may not.
 * Instances that do not run are left out.
 */
export async function edgeUpstreams(
  host: DockerHost,
  containerIds: readonly string[],
  port: number,
): Promise<EdgeUpstream[]> {
  const out: EdgeUpstream[] = [];
  for (const id of containerIds) {
    const info = await host.docker
      .getContainer(id)
      .inspect()
      .catch(() => null);
    if (!info?.State.Running) continue;
    const appNetwork = Object.keys(info.NetworkSettings.Networks).find((n) => n !== 'bridge' && n !== EDGE_NETWORK);
    if (appNetwork) await joinNetwork(host, appNetwork);
    else await joinEdgeNetwork(host, id);
    out.push(`${info.Name.replace(/^\//, '')}:${port}`);
  }
  return out;
}

/** An app of this installation still served here; the routes of any other (deleted meanwhile) are dropped. */
export type KnownApp = (app: string) => boolean;

/** The servers without the routes and ports of apps Slipway no longer has: the edge is this installation's alone. */
function withoutStale(config: CaddyConfig | null, app: string, known: KnownApp): CaddyServers {
  let servers = serversOf(config);
  for (const r of edgeRoutes(config))
    if (r.app !== app && !known(r.app)) servers = withAppRoute(servers, r.app, [], []);
  for (const p of edgePorts(config))
    if (p.app !== app && !known(p.app)) servers = withAppPort(servers, p.app, null, []);
  return servers;
}

function refuseClaimed(servers: CaddyServers, app: string, domains: readonly string[], server: string) {
  const claim = claimedElsewhere({ apps: { http: { servers } } }, app, domains);
  if (claim) {
    throw new SlipwayError(
      'DOMAIN_TAKEN',
      `${claim.domain} is already served by the app ${claim.app} on ${server}; one host name belongs to one app.`,
      claim,
    );
  }
}

/** Refuses host names another app on this edge already serves, naming that app. */
export async function checkDomainsFree(
  host: EdgeHost,
  app: string,
  domains: readonly string[],
  known: KnownApp,
): Promise<void> {
  const { config } = await (await edgeAdmin(host)).config();
  refuseClaimed(withoutStale(config, app, known), app, domains, host.name);
}

/** Where the edge serves an app: by its host names, or (without any) on a port of its own. */
export interface AppPlacement {
  domains: readonly string[];
  port: number | null;
  /** With a port: the edge network's ranges, where its publisher connects from. */
  trustedProxies?: readonly string[];
}

/** An app the edge no longer serves. */
export const NOWHERE: AppPlacement = { domains: [], port: null };

/**
 * Points the app's host names, or its own port, at its paths' instances in one admin call, made against
 * the config read just before (its ETag): a change made meanwhile fails instead of being overwritten.
 * NOWHERE removes the app's routes; routes of apps deleted since go in the same call.
 */
export async function switchAppRoute(
  host: EdgeHost,
  app: string,
  placement: AppPlacement,
  paths: readonly EdgePath[],
  known: KnownApp,
): Promise<void> {
  const admin = await edgeAdmin(host);
  const { config, etag } = await admin.config();
  const current = withoutStale(config, app, known);
  refuseClaimed(current, app, placement.domains, host.name);
  const servers = withAppPort(
    withAppRoute(current, app, placement.domains, paths),
    app,
    placement.port,
    paths,
    placement.trustedProxies,
  );
  await writeIfChanged(admin, config, etag, servers);
}

/** Replaces the servers against the ETag read with `config`, unless nothing changed. */
async function writeIfChanged(admin: CaddyAdmin, config: CaddyConfig | null, etag: string, servers: CaddyServers) {
  // Reconciliation asks for every app at each connection: an unchanged route costs no config write.
  if (JSON.stringify(servers) !== JSON.stringify(serversOf(config))) await admin.replaceServers(servers, etag);
}

/** Removes the routes and ports of apps Slipway no longer has (deleted while the server could not be reached). */
export async function dropStaleRoutes(host: EdgeHost, known: KnownApp): Promise<void> {
  const admin = await edgeAdmin(host);
  const { config, etag } = await admin.config();
  await writeIfChanged(admin, config, etag, withoutStale(config, '', known));
}
