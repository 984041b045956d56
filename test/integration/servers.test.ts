import { execFileSync, spawn } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/contract';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import { sha256Fingerprint } from '../../src/main/engine/hosts/host-key';
import { inProcessAccess } from '../../src/cli/engine-access';
import { runCli } from '../../src/cli/main';
import { eventually, scratchDir } from '../support/deploy-fixtures';
import { startRemoteServers, stopRemoteServers, type RemoteServer } from '../support/remote-servers';

/** What sshd logged about authentication since a given length of its log. */
async function authLinesSince(server: RemoteServer, from: number): Promise<string[]> {
  const log = (await readFile(server.sshdLogPath, 'utf8')).slice(from);
  return log.split('\n').filter((l) => /publickey|password|Accepted/.test(l));
}

const logLength = async (server: RemoteServer) => (await readFile(server.sshdLogPath, 'utf8')).length;

/** The fingerprint of a public key file, computed the way the engine does. */
async function fingerprintOf(pubFile: string): Promise<string> {
  const blob = Buffer.from((await readFile(pubFile, 'utf8')).split(' ')[1]!, 'base64');
  return sha256Fingerprint(blob);
}

describe('servers over SSH', () => {
  let servers: RemoteServer[];
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let engine: Engine;
  let client: Client<typeof contract>;
  // The CLI runs on the test's engine; closing it is the test's job, not the command's.
  const engineForCli = {
    get router() {
      return engine.router;
    },
    start: () => engine.start(),
    idle: (app: string) => engine.idle(app),
    close: async () => undefined,
  } as Engine;

  beforeAll(async () => {
    servers = await startRemoteServers(2);
    scratch = await scratchDir('servers');
    const knownHosts = path.join(scratch.dir, 'known_hosts');
    await writeFile(knownHosts, '');
    engine = createEngine({
      dataDir: path.join(scratch.dir, 'data'),
      ssh: { knownHostsFile: knownHosts, sshConfigFile: path.join(scratch.dir, 'ssh_config') },
    });
    client = createClient(contract, inProcessTransport(engine.router));
  });

  afterAll(async () => {
    await engine?.close();
    if (servers) await stopRemoteServers(servers);
    await scratch?.remove();
  });

  it('asks to trust a new host key before anything is sent, then lists all three servers online', async () => {
    const [one, two] = servers as [RemoteServer, RemoteServer];
    const before = await logLength(one);
    const added = await client.servers.add({
      name: 'one',
      host: one.host,
      port: one.port,
      user: 'root',
      auth: { type: 'key', keyPath: one.privateKeyPath },
      dockerSocket: one.dockerSocketPath,
    });
    expect(added.status).toMatchObject({ state: 'untrusted', presentedFingerprint: one.hostKeyFingerprint });
    expect(await authLinesSince(one, before)).toEqual([]);

    const trusted = await client.servers.trust({ name: 'one', fingerprint: one.hostKeyFingerprint });
    expect(trusted.status.state, trusted.status.reason).toBe('online');

    // A fingerprint given up front is trusted at once.
    const second = await client.servers.add({
      name: 'two',
      host: two.host,
      port: two.port,
      auth: { type: 'key', keyPath: two.privateKeyPath },
      dockerSocket: two.dockerSocketPath,
      trust: two.hostKeyFingerprint,
    });
    expect(second.status.state, second.status.reason).toBe('online');

    const list = await client.servers.list();
    const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
    expect(list.map((s) => [s.name, s.status.state, s.status.dockerVersion])).toEqual([
      ['local', 'online', version],
      ['one', 'online', version],
      ['two', 'online', version],
    ]);
    expect(list[1]!.status.diskFree).toBeGreaterThan(0);
  });

  it('reaches a server through a jump server, verifying each hop', async () => {
    const [one, two] = servers as [RemoteServer, RemoteServer];
    const jumped = await client.servers.add({
      name: 'two-via-one',
      host: two.host,
      port: two.port,
      auth: { type: 'key', keyPath: two.privateKeyPath },
      dockerSocket: two.dockerSocketPath,
      jump: 'one',
      trust: two.hostKeyFingerprint,
    });
    expect(jumped.status.state, jumped.status.reason).toBe('online');
    expect(jumped.jump).toBe('one');
    // The jump hop is verified too: a wrong key for the target is refused even through a trusted jump.
    const wrong = await client.servers.add({
      name: 'two-wrong-key',
      host: two.host,
      port: two.port,
      auth: { type: 'key', keyPath: two.privateKeyPath },
      dockerSocket: two.dockerSocketPath,
      jump: 'one',
      trust: one.hostKeyFingerprint,
    });
    expect(wrong.status.state).toBe('offline');
    expect(wrong.status.reason).toContain('has changed');
    await client.servers.remove({ name: 'two-wrong-key' });
    await client.servers.remove({ name: 'two-via-one' });
  });

  it('adds a server by its ~/.ssh/config alias, and authenticates with ssh-agent', async () => {
    const two = servers[1]!;
    await writeFile(
      path.join(scratch.dir, 'ssh_config'),
      [
        `Host box-two`,
        `  HostName ${two.host}`,
        `  Port ${two.port}`,
        `  User root`,
        `  IdentityFile ${two.privateKeyPath}`,
        '',
      ].join('\n'),
    );
    const suggestions = await client.servers.sshConfigHosts();
    expect(suggestions).toContainEqual(
      expect.objectContaining({ alias: 'box-two', hostName: two.host, port: two.port, user: 'root' }),
    );
    // A real ssh-agent of the test's own, holding the server's client key.
    const agentSocket = path.join(scratch.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
    try {
      await eventually(async () => (await stat(agentSocket).catch(() => null)) !== null, 5000);
      execFileSync('ssh-add', ['-q', two.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket } });
      const previous = process.env.SSH_AUTH_SOCK;
      process.env.SSH_AUTH_SOCK = agentSocket;
      try {
        const added = await client.servers.add({
          name: 'by-alias',
          host: 'box-two',
          auth: { type: 'agent' },
          dockerSocket: two.dockerSocketPath,
          trust: two.hostKeyFingerprint,
        });
        expect(added).toMatchObject({ host: two.host, port: two.port, user: 'root' });
        expect(added.status.state, added.status.reason).toBe('online');
      } finally {
        if (previous === undefined) delete process.env.SSH_AUTH_SOCK;
        else process.env.SSH_AUTH_SOCK = previous;
      }
      await client.servers.remove({ name: 'by-alias' });
    } finally {
      agent.kill();
    }
  });

  it('uses a key with a passphrase, and never stores the passphrase in clear', async () => {
    const two = servers[1]!;
    const keyPath = path.join(scratch.dir, 'with_passphrase');
    const passphrase = 'correct horse battery staple';
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-f', keyPath]);
    await writeFile(path.join(two.dir, 'authorized_keys'), await readFile(`${keyPath}.pub`), { flag: 'a' });
    const added = await client.servers.add({
      name: 'passphrase',
      host: two.host,
      port: two.port,
      auth: { type: 'key', keyPath, passphrase },
      dockerSocket: two.dockerSocketPath,
      trust: two.hostKeyFingerprint,
    });
    expect(added.status.state, added.status.reason).toBe('online');
    const state = await readFile(path.join(scratch.dir, 'data', 'state.json'), 'utf8');
    expect(state).not.toContain(passphrase);
    expect(state).toContain('slipway-sealed:v1:');
    await client.servers.remove({ name: 'passphrase' });
  });

  it('trusts a host key that a hashed ~/.ssh/known_hosts entry vouches for, and the CLI lists it', async () => {
    const two = servers[1]!;
    const pub = (await readFile(`${two.hostKeyPath}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
    const knownHosts = path.join(scratch.dir, 'known_hosts');
    await writeFile(knownHosts, `[${two.host}]:${two.port} ${pub}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', knownHosts]);
    expect(await readFile(knownHosts, 'utf8')).toMatch(/^\|1\|/);
    const added = await client.servers.add({
      name: 'vouched',
      host: two.host,
      port: two.port,
      auth: { type: 'key', keyPath: two.privateKeyPath },
      dockerSocket: two.dockerSocketPath,
    });
    expect(added.status.state, added.status.reason).toBe('online');
    expect(added.hostKey).toBe(two.hostKeyFingerprint);

    const out: string[] = [];
    const code = await runCli(
      ['servers', 'list'],
      { out: (t) => out.push(t), err: (t) => out.push(t) },
      inProcessAccess(engineForCli.router),
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/vouched\s+root@127\.0\.0\.1:\d+\s+online\s+\S+\s+0\s+[\d.]+ GiB/);
    await client.servers.remove({ name: 'vouched' });
    await writeFile(knownHosts, '');
  });

  it("keeps listing the other servers promptly while one server's engine does not answer", async () => {
    const two = servers[1]!;
    const pid = Number((await readFile(path.join(two.dir, 'docker.pid'), 'utf8')).trim());
    process.kill(pid, 'SIGSTOP'); // the test's own dockerd, frozen: it accepts nothing and answers nothing
    try {
      const started = Date.now();
      const list = await client.servers.list();
      const took = Date.now() - started;
      expect(list.find((s) => s.name === 'two')!.status.state).toBe('offline');
      expect(list.find((s) => s.name === 'local')!.status.state).toBe('online');
      expect(list.find((s) => s.name === 'one')!.status.state).toBe('online');
      // Bounded by the one status timeout (8 s), not by the number of servers.
      expect(took).toBeLessThan(10_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await client.servers.test({ name: 'two' })).status.state).toBe('online');
  });

  it('refuses a changed host key before authenticating, naming both fingerprints', async () => {
    const one = servers[0]!;
    const old = one.hostKeyFingerprint;
    await rm(one.hostKeyPath, { force: true });
    await rm(`${one.hostKeyPath}.pub`, { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', one.hostKeyPath]);
    const fresh = await fingerprintOf(`${one.hostKeyPath}.pub`);
    expect(fresh).not.toBe(old);

    const before = await logLength(one);
    const tested = await client.servers.test({ name: 'one' });
    expect(tested.status.state).toBe('offline');
    expect(tested.status.reason).toContain(old);
    expect(tested.status.reason).toContain(fresh);
    expect(tested.status.reason).toContain('Nothing was sent');
    expect(await authLinesSince(one, before)).toEqual([]);
    // The other server is not held up by it.
    expect((await client.servers.get({ name: 'two' })).status.state).toBe('online');
  });
});
