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
  match?: Array<{ host?: string[]; path?: string[] }>;
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

function catchAll(body = 'No app is served at this host name.\n'): CaddyRoute {
  return { handle: [{ handler: 'static_response', status_code: 404, body }] };
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

/** One path of an app's URL on the edge and the instances serving it. */
export interface EdgePath {
  prefix: string;
  /** false: the prefix is cut off before the request reaches the instance (DigitalOcean's default). */
  preservePathPrefix: boolean;
  upstreams: readonly EdgeUpstream[];
}

/** How long a request waits for another instance when the one it was sent to refuses: covers an instance stopping. */
export const LOAD_BALANCING = { try_duration: '5s', try_interval: '100ms' };

/** `trusted`: the peers whose X-Forwarded-For is kept (a port's publisher), when there are any. */
function pathHandlers(path: EdgePath, trusted: readonly string[]): Array<Record<string, unknown>> {
  if (path.upstreams.length === 0)
    return [{ handler: 'static_response', status_code: 503, body: 'No instance serves this path right now.\n' }];
  const proxy = {
    handler: 'reverse_proxy',
    upstreams: path.upstreams.map((dial) => ({ dial })),
    load_balancing: LOAD_BALANCING,
    ...(trusted.length > 0 ? { trusted_proxies: [...trusted] } : {}),
  };
  return path.prefix === '/' || path.preservePathPrefix
    ? [proxy]
    : [{ handler: 'rewrite', strip_path_prefix: path.prefix }, proxy];
}

/** What an app's route does: one path straight to its instances, several by longest prefix (`paths` come sorted so). */
function appHandlers(paths: readonly EdgePath[], trusted: readonly string[] = []): Array<Record<string, unknown>> {
  if (paths.length === 1 && paths[0]!.prefix === '/') return pathHandlers(paths[0]!, trusted);
  const routes: CaddyRoute[] = paths.map((p) =>
    p.prefix === '/'
      ? { handle: pathHandlers(p, trusted) }
      : { match: [{ path: [p.prefix, `${p.prefix}/*`] }], handle: pathHandlers(p, trusted) },
  );
  if (!paths.some((p) => p.prefix === '/')) routes.push(catchAll('No component is served at this path.\n'));
  return [{ handler: 'subroute', routes }];
}

/**
 * The servers with `app`'s route replaced: its host names to its paths' instances, before the catch-all.
 * No domains, or no path with an instance, removes the app's route. Other apps' routes are kept as they are.
 */
export function withAppRoute(
  servers: CaddyServers,
  app: string,
  domains: readonly string[],
  paths: readonly EdgePath[],
): CaddyServers {
  const out: CaddyServers = {};
  const serving = domains.length > 0 && paths.some((p) => p.upstreams.length > 0);
  for (const [name, server] of Object.entries(servers)) {
    const kind = (Object.keys(SERVER_NAMES) as ServerKind[]).find((k) => SERVER_NAMES[k] === name);
    if (!kind) {
      out[name] = server;
      continue;
    }
    const id = appRouteId(kind, app);
    const others = (server.routes ?? []).filter((r) => r['@id'] !== id && r['@id'] !== undefined);
    const routes: CaddyRoute[] = [...others];
    if (serving)
      routes.push({ '@id': id, match: [{ host: [...domains] }], handle: appHandlers(paths), terminal: true });
    routes.push(catchAll());
    out[name] = { ...server, routes };
  }
  return out;
}

const PORT_SERVER_PREFIX = 'slipway_port_';

/** The server of an app without a domain, served on a port of its own: its name in the config. */
export function portServerName(app: string): string {
  return `${PORT_SERVER_PREFIX}${app}`;
}

/** Every app served on a port of its own, with the port. */
export function edgePorts(config: CaddyConfig | null): Array<{ app: string; port: number }> {
  return Object.entries(serversOf(config)).flatMap(([name, server]) => {
    if (!name.startsWith(PORT_SERVER_PREFIX)) return [];
    const port = Number(/:(\d+)$/.exec(server.listen[0] ?? '')?.[1]);
    return Number.isInteger(port) ? [{ app: name.slice(PORT_SERVER_PREFIX.length), port }] : [];
  });
}

/**
 * The servers with `app`'s own port replaced: a server listening on `port` inside the edge, every
 * request to the app's paths (no host name to match). A null port, or no path with an instance,
 * removes it. Docker publishes the port through the app's port publisher (edge-port-publisher.ts), from
 * one of `trusted` (the edge network's ranges): the client's address it forwards is kept.
 */
export function withAppPort(
  servers: CaddyServers,
  app: string,
  port: number | null,
  paths: readonly EdgePath[],
  trusted: readonly string[] = [],
): CaddyServers {
  const out: CaddyServers = { ...servers };
  delete out[portServerName(app)];
  if (port === null || !paths.some((p) => p.upstreams.length > 0)) return out;
  out[portServerName(app)] = {
    listen: [`:${port}`],
    routes: [{ '@id': `slipway-port-app-${app}`, handle: appHandlers(paths, trusted), terminal: true }],
    automatic_https: { disable: true },
  };
  return out;
}

/** The path of the servers object, which one PATCH replaces so both servers switch at once. */
export const SERVERS_PATH = '/config/apps/http/servers';
