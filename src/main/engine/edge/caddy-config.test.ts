import { describe, expect, it } from 'vitest';
import {
  ADMIN_ORIGIN,
  appRouteId,
  claimedElsewhere,
  edgePorts,
  edgeRoutes,
  initialEdgeConfig,
  serversOf,
  withAppPort,
  withAppRoute,
  type CaddyConfig,
  type EdgePath,
} from './caddy-config';

/** The app served whole at `/` by these instances. */
const root = (...upstreams: string[]): EdgePath[] => [{ prefix: '/', preservePathPrefix: false, upstreams }];
const LB = { try_duration: '5s', try_interval: '100ms' };

const ids = (config: CaddyConfig, server: string) =>
  serversOf(config)[server]!.routes.map((r) => r['@id'] ?? '(catch-all)');

describe('the edge config', () => {
  it('starts with the admin API on a Unix socket in the config volume, allowing only its own Host', () => {
    const config = initialEdgeConfig({ tls: 'internal' });
    expect(config.admin).toEqual({ listen: 'unix//config/slipway-admin.sock', origins: [ADMIN_ORIGIN] });
    expect(Object.keys(serversOf(config))).toEqual(['slipway_http', 'slipway_https']);
    // Every server ends with a 404: Caddy answers an unmatched host with an empty 200 otherwise.
    expect(serversOf(config).slipway_http!.routes).toEqual([
      { handle: [expect.objectContaining({ handler: 'static_response', status_code: 404 })] },
    ]);
    expect(config.apps?.tls).toEqual({ automation: { policies: [{ issuers: [{ module: 'internal' }] }] } });
    expect(config.apps?.pki).toEqual({ certificate_authorities: { local: { install_trust: false } } });
  });

  it('serves HTTP only with TLS off, and asks ACME with the email given', () => {
    const off = initialEdgeConfig({ tls: 'off' });
    expect(Object.keys(serversOf(off))).toEqual(['slipway_http']);
    expect(off.apps?.tls).toBeUndefined();
    const acme = initialEdgeConfig({ tls: 'acme', acmeEmail: 'ops@example.com' });
    expect(acme.apps?.tls).toEqual({
      automation: { policies: [{ issuers: [{ module: 'acme', email: 'ops@example.com' }] }] },
    });
    expect(serversOf(acme).slipway_https!.automatic_https).toEqual({ disable_redirects: true });
  });

  it("puts an app's route before the catch-all on both servers, replacing its old one and keeping other apps'", () => {
    const config = initialEdgeConfig({ tls: 'internal' });
    let servers = withAppRoute(serversOf(config), 'one', ['a.example.test'], root('172.17.0.2:8080'));
    servers = withAppRoute(servers, 'two', ['b.example.test', 'www.b.example.test'], root('172.17.0.3:80'));
    servers = withAppRoute(servers, 'one', ['a.example.test'], root('172.17.0.4:8080', '172.17.0.5:8080'));
    const next: CaddyConfig = { apps: { http: { servers } } };
    expect(ids(next, 'slipway_http')).toEqual([appRouteId('http', 'two'), appRouteId('http', 'one'), '(catch-all)']);
    expect(ids(next, 'slipway_https')).toEqual([appRouteId('https', 'two'), appRouteId('https', 'one'), '(catch-all)']);
    const one = servers.slipway_https!.routes.find((r) => r['@id'] === appRouteId('https', 'one'))!;
    expect(one).toEqual({
      '@id': 'slipway-https-app-one',
      match: [{ host: ['a.example.test'] }],
      handle: [
        {
          handler: 'reverse_proxy',
          upstreams: [{ dial: '172.17.0.4:8080' }, { dial: '172.17.0.5:8080' }],
          load_balancing: LB,
        },
      ],
      terminal: true,
    });
    expect(edgeRoutes(next)).toEqual([
      { domain: 'b.example.test', app: 'two' },
      { domain: 'www.b.example.test', app: 'two' },
      { domain: 'a.example.test', app: 'one' },
    ]);
    expect(claimedElsewhere(next, 'one', ['www.b.example.test'])).toEqual({ domain: 'www.b.example.test', app: 'two' });
    expect(claimedElsewhere(next, 'one', ['a.example.test'])).toBeNull();
  });

  it('removes the route of an app with no domains or no instance left', () => {
    const config = initialEdgeConfig({ tls: 'off' });
    const routed = withAppRoute(serversOf(config), 'one', ['a.example.test'], root('172.17.0.2:8080'));
    expect(withAppRoute(routed, 'one', [], root('172.17.0.2:8080'))).toEqual(serversOf(config));
    expect(withAppRoute(routed, 'one', ['a.example.test'], [])).toEqual(serversOf(config));
    expect(withAppRoute(routed, 'one', ['a.example.test'], root())).toEqual(serversOf(config));
  });

  it("routes by longest prefix inside the app's route, cutting the prefix off unless it is kept", () => {
    const config = initialEdgeConfig({ tls: 'off' });
    const servers = withAppRoute(
      serversOf(config),
      'one',
      ['a.example.test'],
      [
        { prefix: '/api/v2', preservePathPrefix: true, upstreams: ['api2:8080'] },
        { prefix: '/api', preservePathPrefix: false, upstreams: ['api:8080'] },
        { prefix: '/', preservePathPrefix: false, upstreams: ['web:8080'] },
      ],
    );
    const route = servers.slipway_http!.routes.find((r) => r['@id'] === appRouteId('http', 'one'))!;
    const proxy = (dial: string) => ({ handler: 'reverse_proxy', upstreams: [{ dial }], load_balancing: LB });
    expect(route.handle).toEqual([
      {
        handler: 'subroute',
        routes: [
          { match: [{ path: ['/api/v2', '/api/v2/*'] }], handle: [proxy('api2:8080')] },
          {
            match: [{ path: ['/api', '/api/*'] }],
            handle: [{ handler: 'rewrite', strip_path_prefix: '/api' }, proxy('api:8080')],
          },
          { handle: [proxy('web:8080')] },
        ],
      },
    ]);
  });

  it('answers 503 on a path whose component has no instance, and 404 outside every prefix', () => {
    const config = initialEdgeConfig({ tls: 'off' });
    const servers = withAppRoute(
      serversOf(config),
      'one',
      ['a.example.test'],
      [
        { prefix: '/api', preservePathPrefix: false, upstreams: ['api:8080'] },
        { prefix: '/admin', preservePathPrefix: false, upstreams: [] },
      ],
    );
    const route = servers.slipway_http!.routes.find((r) => r['@id'] === appRouteId('http', 'one'))!;
    const inner = (route.handle[0] as { routes: Array<{ handle: Array<Record<string, unknown>> }> }).routes;
    expect(inner.map((r) => r.handle.at(-1)!.status_code ?? r.handle.at(-1)!.handler)).toEqual([
      'reverse_proxy',
      503,
      404,
    ]);
  });

  it('serves an app without a domain on a port of its own, every host name, and takes it away again', () => {
    const config = initialEdgeConfig({ tls: 'internal' });
    const servers = withAppPort(serversOf(config), 'tools', 10_000, root('tools-web:8080'));
    expect(servers.slipway_port_tools).toEqual({
      listen: [':10000'],
      routes: [
        {
          '@id': 'slipway-port-app-tools',
          handle: [{ handler: 'reverse_proxy', upstreams: [{ dial: 'tools-web:8080' }], load_balancing: LB }],
          terminal: true,
        },
      ],
      automatic_https: { disable: true },
    });
    const next: CaddyConfig = { apps: { http: { servers } } };
    expect(edgePorts(next)).toEqual([{ app: 'tools', port: 10_000 }]);
    // A port is no host name: no other app's domain claim meets it.
    expect(edgeRoutes(next)).toEqual([]);
    // From its publisher, on the edge network, the client's address it forwards is kept.
    const trusting = withAppPort(serversOf(config), 'tools', 10_000, root('tools-web:8080'), ['172.30.0.0/16']);
    expect(trusting.slipway_port_tools!.routes[0]!.handle[0]).toMatchObject({ trusted_proxies: ['172.30.0.0/16'] });
    expect(withAppPort(servers, 'tools', null, root('tools-web:8080'))).toEqual(serversOf(config));
    expect(withAppPort(servers, 'tools', 10_000, root())).toEqual(serversOf(config));
  });
});
