import type { ServerAuthInput, ServerSummary } from '../../shared/domains/servers';
import { SlipwayError } from '../../shared/errors';
import { print, type Command, type CommandContext } from '../command';
import { formatTable } from '../io';
import { serverEdgeCommands } from './servers-edge';

const gib = (bytes?: number) => (bytes === undefined ? '-' : `${(bytes / 1024 ** 3).toFixed(1)} GiB`);

function serversTable(servers: ServerSummary[]): string {
  return formatTable(
    ['Name', 'Address', 'Status', 'Docker', 'Apps', 'Disk free'],
    servers.map((s) => [
      s.name,
      s.kind === 'local' ? s.host : `${s.user}@${s.host}:${s.port}${s.jump ? ` via ${s.jump}` : ''}`,
      s.status.state === 'online' ? 'online' : `${s.status.state}: ${s.status.reason ?? ''}`,
      s.status.dockerVersion ?? '-',
      String(s.status.apps),
      gib(s.status.diskFree),
    ]),
  );
}

function serverText(s: ServerSummary): string {
  return [
    `Name:      ${s.name}`,
    `Address:   ${s.user}@${s.host}:${s.port}${s.jump ? ` via ${s.jump}` : ''}`,
    `Auth:      ${s.auth}`,
    `Host key:  ${s.hostKey ?? '(not trusted yet)'}`,
    `Docker:    ${s.dockerSocket}${s.status.dockerVersion ? ` (Docker ${s.status.dockerVersion})` : ''}`,
    `Status:    ${s.status.state}${s.status.reason ? `: ${s.status.reason}` : ''}`,
    `Apps:      ${s.status.apps}`,
    `Disk free: ${gib(s.status.diskFree)}`,
  ].join('\n');
}

const name = (ctx: CommandContext) => {
  const value = ctx.args.name;
  if (!value) throw new SlipwayError('INVALID_REQUEST', 'NAME is required.');
  return value;
};

/** After adding or testing: a host key waiting for trust is asked about at a terminal, or explained. */
async function settleTrust(ctx: CommandContext, server: ServerSummary): Promise<number> {
  const presented = server.status.presentedFingerprint;
  if (server.status.state !== 'untrusted' || !presented) {
    print(ctx, server, () => serverText(server));
    return server.status.state === 'online' ? 0 : 1;
  }
  const answer =
    ctx.output === 'text'
      ? await ctx.io.ask?.(`${server.host}:${server.port} presented host key ${presented}.\nTrust it? [y/N] `)
      : undefined;
  if (answer?.trim().toLowerCase() === 'y') {
    const trusted = await ctx.client.servers.trust({ name: server.name, fingerprint: presented });
    print(ctx, trusted, () => serverText(trusted));
    return trusted.status.state === 'online' ? 0 : 1;
  }
  print(ctx, server, () =>
    [
      serverText(server),
      '',
      `Nothing was sent to ${server.host}. Check the fingerprint with the server's owner, then run:`,
      `  slipway servers trust ${server.name} ${presented}`,
    ].join('\n'),
  );
  return 1;
}

export const serversCommands: Command[] = [
  {
    words: ['servers', 'list'],
    args: [],
    flags: {},
    summary: 'List servers (and the local engine) with their status',
    async run(ctx) {
      const servers = await ctx.client.servers.list();
      print(ctx, servers, () => serversTable(servers));
      return 0;
    },
  },
  {
    words: ['servers', 'get'],
    args: ['name'],
    flags: {},
    summary: 'Show a server',
    async run(ctx) {
      const server = await ctx.client.servers.get({ name: name(ctx) });
      print(ctx, server, () => serverText(server));
      return 0;
    },
  },
  {
    words: ['servers', 'add'],
    args: ['name'],
    flags: {
      host: { type: 'string', description: 'host name, address, or a ~/.ssh/config alias' },
      port: { type: 'string', description: 'SSH port (default: the ~/.ssh/config alias, else 22)' },
      user: { type: 'string', description: 'SSH user (default: the ~/.ssh/config alias, else root)' },
      key: { type: 'string', description: 'a private key file' },
      passphrase: { type: 'boolean', description: "ask for the key's passphrase (or read it from stdin)" },
      agent: { type: 'boolean', description: 'authenticate with ssh-agent (Pageant on Windows)' },
      'password-stdin': { type: 'boolean', description: 'read the password from standard input' },
      jump: { type: 'string', description: 'a server to jump through (ProxyJump)' },
      'docker-socket': { type: 'string', description: "the server's Docker socket (default /var/run/docker.sock)" },
      trust: { type: 'string', description: 'the host key fingerprint to trust (SHA256:...)' },
    },
    summary: 'Add a server reached over SSH; its host key must be trusted before anything is sent',
    async run(ctx) {
      const f = ctx.flags;
      if (typeof f.host !== 'string') throw new SlipwayError('INVALID_REQUEST', '--host is required.');
      const methods = [typeof f.key === 'string', f.agent === true, f['password-stdin'] === true].filter(Boolean);
      if (methods.length !== 1) {
        throw new SlipwayError(
          'INVALID_REQUEST',
          'Choose one way to authenticate: --key FILE, --agent or --password-stdin.',
        );
      }
      let auth: ServerAuthInput;
      if (typeof f.key === 'string') {
        const passphrase =
          f.passphrase === true ? ((await ctx.io.readStdin?.()) ?? '').replace(/\r?\n$/, '') : undefined;
        auth = { type: 'key', keyPath: f.key, ...(passphrase ? { passphrase } : {}) };
      } else if (f.agent === true) {
        auth = { type: 'agent' };
      } else {
        const password = ((await ctx.io.readStdin?.()) ?? '').replace(/\r?\n$/, '');
        auth = { type: 'password', password };
      }
      const server = await ctx.client.servers.add({
        name: name(ctx),
        host: f.host,
        ...(typeof f.port === 'string' ? { port: Number(f.port) } : {}),
        ...(typeof f.user === 'string' ? { user: f.user } : {}),
        auth,
        ...(typeof f.jump === 'string' ? { jump: f.jump } : {}),
        ...(typeof f['docker-socket'] === 'string' ? { dockerSocket: f['docker-socket'] } : {}),
        ...(typeof f.trust === 'string' ? { trust: f.trust } : {}),
      });
      return settleTrust(ctx, server);
    },
  },
  {
    words: ['servers', 'trust'],
    args: ['name', 'fingerprint'],
    flags: {},
    summary: "Trust a server's host key (it must be the key the server presents)",
    async run(ctx) {
      const server = await ctx.client.servers.trust({ name: name(ctx), fingerprint: ctx.args.fingerprint ?? '' });
      print(ctx, server, () => serverText(server));
      return server.status.state === 'online' ? 0 : 1;
    },
  },
  {
    words: ['servers', 'test'],
    args: ['name'],
    flags: {},
    summary: 'Connect to a server again and show its status',
    async run(ctx) {
      return settleTrust(ctx, await ctx.client.servers.test({ name: name(ctx) }));
    },
  },
  {
    words: ['servers', 'remove'],
    args: ['name'],
    flags: {},
    summary: 'Remove a server that no app targets',
    async run(ctx) {
      const result = await ctx.client.servers.remove({ name: name(ctx) });
      print(ctx, result, () => `Removed ${result.removed}.`);
      return 0;
    },
  },
  {
    words: ['servers', 'ssh-config'],
    args: [],
    flags: {},
    summary: 'List the hosts of ~/.ssh/config that can be added by their alias',
    async run(ctx) {
      const hosts = await ctx.client.servers.sshConfigHosts();
      print(ctx, hosts, () =>
        formatTable(
          ['Alias', 'Host', 'User', 'Port', 'Key', 'Jump'],
          hosts.map((h) => [
            h.alias,
            h.hostName,
            h.user ?? '-',
            String(h.port),
            h.identityFile ?? '-',
            h.proxyJump.join(',') || '-',
          ]),
        ),
      );
      return 0;
    },
  },
  ...serverEdgeCommands,
];
