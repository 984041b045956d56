/*
 * The JSON config of a server's Slipway edge (Caddy), built by pure functions so that every request
 * Slipway sends to Caddy's admin API can be checked without a Caddy. One HTTP server (and one HTTPS
 * server unless TLS is off) hold the same routes: one per app, matching its host names, then a catch-all
 * 404, since Caddy answers an unmatched host with an empty 200 otherwise.
 */

export type EdgeTlsMode = 'acme' | 'internal' | 'off';

export interface EdgeConfigSettings {
  tls: EdgeTlsMode;
  acmeEmail?: string;
}

/** Inside the edge container: its config volume is mounted here, and Caddy keeps `--resume`'s autosave under it. */
export const EDGE_CONFIG_DIR = '/config';
/** The admin API's Unix socket, in the config volume: reached from Slipway as `<volume mountpoint>/<name>`. */
export const ADMIN_SOCKET_NAME = 'slipway-admin.sock';
/** The config Caddy starts from when it has no autosave yet. */
export const INITIAL_CONFIG_NAME = 'slipway-initial.json';
/**
 * The Host Slipway's admin requests carry. Caddy 2.6 on a Unix socket refuses `Host: localhost` (403)
 * and Go refuses a request without Host (400), so the config allows exactly this one.
 */
export const ADMIN_ORIGIN = 'slipway-edge';
/** Inside the container Caddy listens on the standard ports; Docker publishes them on the user's. */
export const CONTAINER_HTTP_PORT = 80;
export const CONTAINER_HTTPS_PORT = 443;

const SERVER_NAMES = { http: 'slipway_http', https: 'slipway_https' } as const;
type ServerKind = keyof typeof SERVER_NAMES;

export interface CaddyRoute {
  '@id'?: string;
  match?: Array<{ host: string[] }>;
  handle: Array<Record<string, unknown>>;
  terminal?: boolean;
}

interface CaddyServer {
  listen: string[];
  routes: CaddyRoute[];
  [key: string]: unknown;
}

export type CaddyServers = Record<string, CaddyServer>;

export interface CaddyConfig {
  admin?: unknown;
  apps?: { http?: { servers?: CaddyServers; [key: string]: unknown }; [key: string]: unknown };
  [key: string]: unknown;
}

/** Where an app's instances answer, as Caddy dials them (`<address>:<port>`). */
export type EdgeUpstream = string;

/** The id of an app's route in one server: also how Slipway finds which app holds a host name. */
export function appRouteId(kind: ServerKind, app: string): string {
  return `slipway-${kind}-app-${app}`;
}

function appOfRouteId(id: string | undefined): string | null {
  const match = /^slipway-(?:http|https)-app-(.+)$/.exec(id ?? '');
  return match ? match[1]! : null;
}

function catchAll(): CaddyRoute {
  return { handle: [{ handler: 'static_response', status_code: 404, body: 'No app is served at this host name.\n' }] };
}

function tlsApp(settings: EdgeConfigSettings): Record<string, unknown> {
  const issuer =
    settings.tls === 'internal'
      ? { module: 'internal' }
      : { module: 'acme', ...(settings.acmeEmail ? { email: settings.acmeEmail } : {}) };
  return { automation: { policies: [{ issuers: [issuer] }] } };
}

/** The config a fresh edge starts from: the admin socket, its servers with only the catch-all, and TLS. */
export function initialEdgeConfig(settings: EdgeConfigSettings): CaddyConfig {
  const servers: CaddyServers = {
    [SERVER_NAMES.http]: {
      listen: [`:${CONTAINER_HTTP_PORT}`],
      routes: [catchAll()],
      // The HTTP port serves the apps as well: no redirect, so `--tls off` and plain HTTP behave alike.
      automatic_https: { disable: true },
    },
  };
  const apps: NonNullable<CaddyConfig['apps']> = {
    http: { http_port: CONTAINER_HTTP_PORT, https_port: CONTAINER_HTTPS_PORT, servers },
  };
  if (settings.tls !== 'off') {
    servers[SERVER_NAMES.https] = {
      listen: [`:${CONTAINER_HTTPS_PORT}`],
      routes: [catchAll()],
      automatic_https: { disable_redirects: true },
    };
    apps.tls = tlsApp(settings);
    // No trust store to install into inside the container; the root is read from /pki/ca/local instead.
    if (settings.tls === 'internal') apps.pki = { certificate_authorities: { local: { install_trust: false } } };
  }
  return {
    admin: { listen: `unix/${EDGE_CONFIG_DIR}/${ADMIN_SOCKET_NAME}`, origins: [ADMIN_ORIGIN] },
    apps,
  };
}

/** The servers of a config, or none when it is not an edge config. */
export function serversOf(config: CaddyConfig | null): CaddyServers {
  return config?.apps?.http?.servers ?? {};
}

/** Every host name the config routes, with the app holding it. */
export function edgeRoutes(config: CaddyConfig | null): Array<{ domain: string; app: string }> {
  const out = new Map<string, string>();
  for (const server of Object.values(serversOf(config))) {
    for (const route of server.routes ?? []) {
      const app = appOfRouteId(route['@id']);
      if (!app) continue;
      for (const host of route.match?.flatMap((m) => m.host ?? []) ?? []) if (!out.has(host)) out.set(host, app);
    }
  }
  return [...out].map(([domain, app]) => ({ domain, app }));
}

/** The first of `domains` another app holds, with that app. */
export function claimedElsewhere(
  config: CaddyConfig | null,
  app: string,
  domains: readonly string[],
): { domain: string; app: string } | null {
  return edgeRoutes(config).find((r) => r.app !== app && domains.includes(r.domain)) ?? null;
}

/**
 * The servers with `app`'s route replaced: its host names to its upstreams, before the catch-all.
 * No domains or no upstreams removes the app's route. Other apps' routes are kept as they are.
 */
export function withAppRoute(
  servers: CaddyServers,
  app: string,
  domains: readonly string[],
  upstreams: readonly EdgeUpstream[],
): CaddyServers {
  const out: CaddyServers = {};
  for (const [name, server] of Object.entries(servers)) {
    const kind = (Object.keys(SERVER_NAMES) as ServerKind[]).find((k) => SERVER_NAMES[k] === name);
    if (!kind) {
      out[name] = server;
      continue;
    }
    const id = appRouteId(kind, app);
    const others = (server.routes ?? []).filter((r) => r['@id'] !== id && r['@id'] !== undefined);
    const routes: CaddyRoute[] = [...others];
    if (domains.length > 0 && upstreams.length > 0) {
      routes.push({
        '@id': id,
        match: [{ host: [...domains] }],
        handle: [{ handler: 'reverse_proxy', upstreams: upstreams.map((dial) => ({ dial })) }],
        terminal: true,
      });
    }
    routes.push(catchAll());
    out[name] = { ...server, routes };
  }
  return out;
}

/** The path of the servers object, which one PATCH replaces so both servers switch at once. */
export const SERVERS_PATH = '/config/apps/http/servers';
