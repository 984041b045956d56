import type { EdgeCertificate, EdgeTls, ServerEdgeStatus } from '../../shared/domains/servers';
import { SlipwayError } from '../../shared/errors';
import { print, type Command, type CommandContext } from '../command';
import { formatTable } from '../io';
import { required } from './arguments';

function port(ctx: CommandContext, flag: string): number | undefined {
  const value = ctx.flags[flag];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || n < 1 || n > 65535) {
    throw new SlipwayError('INVALID_REQUEST', `--${flag} must be a port from 1 to 65535.`);
  }
  return n;
}

function text(ctx: CommandContext, flag: string): string | undefined {
  const value = ctx.flags[flag];
  return typeof value === 'string' ? value : undefined;
}

function statusText(s: ServerEdgeStatus): string {
  if (!s.enabled) return `The edge of ${s.server} is off.`;
  const lines = [
    `Server:    ${s.server}`,
    `Edge:      ${s.container ?? 'missing'} (${s.image}${s.pinnedImage ? `, pinned to ${s.pinnedImage}` : ''})`,
    `Ports:     HTTP ${s.bind}:${s.httpPort}${s.tls === 'off' ? '' : `, HTTPS ${s.bind}:${s.httpsPort}`}`,
    `TLS:       ${s.tls}`,
  ];
  const ports = s.ports ?? [];
  if (s.routes.length === 0 && ports.length === 0) return [...lines, 'Routes:    none'].join('\n');
  return [
    ...lines,
    '',
    formatTable(
      ['Domain', 'App', 'Certificate'],
      [
        ...s.routes.map((r) => [r.domain, r.app, certificateText(r.certificate)]),
        // Apps without a domain: their own port, plain HTTP.
        ...ports.map((p) => [p.url, p.app, '-']),
      ],
    ),
  ].join('\n');
}

/** A domain's certificate in a table cell: its state, until when, or Caddy's last error. */
function certificateText(cert: EdgeCertificate | undefined): string {
  if (!cert) return '-';
  if (cert.state === 'valid' || cert.state === 'expired')
    return `${cert.state} until ${cert.notAfter?.slice(0, 10) ?? '?'} (${cert.issuer ?? '?'})`;
  return cert.lastError ? `${cert.state}: ${cert.lastError}` : cert.state;
}

/** `slipway servers edge …`: the server's Slipway edge (Caddy), which serves apps' domains. */
export const serverEdgeCommands: Command[] = [
  {
    words: ['servers', 'edge', 'enable'],
    args: ['name'],
    flags: {
      'http-port': { type: 'string', description: 'Port for HTTP (default 80)' },
      'https-port': { type: 'string', description: 'Port for HTTPS (default 443)' },
      bind: { type: 'string', description: 'Address the ports are published on (default 0.0.0.0)' },
      tls: { type: 'string', description: 'acme (default), internal (Caddy’s own CA) or off' },
      'acme-email': { type: 'string', description: 'Email given to the ACME CA' },
      image: { type: 'string', description: 'Caddy image (default caddy:2)' },
    },
    summary: "Run Slipway's edge (Caddy) on a server, serving apps' domains",
    async run(ctx) {
      const tls = text(ctx, 'tls');
      if (tls !== undefined && !['acme', 'internal', 'off'].includes(tls)) {
        throw new SlipwayError('INVALID_REQUEST', '--tls must be acme, internal or off.');
      }
      const status = await ctx.client.servers.edgeEnable({
        name: required(ctx, 'name'),
        httpPort: port(ctx, 'http-port'),
        httpsPort: port(ctx, 'https-port'),
        bind: text(ctx, 'bind'),
        tls: tls as EdgeTls | undefined,
        acmeEmail: text(ctx, 'acme-email'),
        image: text(ctx, 'image'),
      });
      print(ctx, status, () => statusText(status));
      return 0;
    },
  },
  {
    words: ['servers', 'edge', 'status'],
    args: ['name'],
    flags: {},
    summary: "Show a server's edge: ports, TLS, container and routes",
    async run(ctx) {
      const status = await ctx.client.servers.edgeStatus({ name: required(ctx, 'name') });
      print(ctx, status, () => statusText(status));
      return 0;
    },
  },
  {
    words: ['servers', 'edge', 'disable'],
    args: ['name'],
    flags: {},
    summary: "Remove a server's edge (only the container and volumes Slipway made)",
    async run(ctx) {
      const result = await ctx.client.servers.edgeDisable({ name: required(ctx, 'name') });
      print(ctx, result, () =>
        [
          result.removed.length > 0
            ? `Removed ${result.removed.join(', ')} from ${result.server}.`
            : 'Nothing to remove.',
          result.appsLosingUrl.length > 0
            ? `These apps lose their public URL: ${result.appsLosingUrl.join(', ')}.`
            : 'No app loses a public URL.',
        ].join('\n'),
      );
      return 0;
    },
  },
];
