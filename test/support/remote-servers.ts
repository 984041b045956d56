import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../../src/main/engine/edge/free-port';
import Docker from 'dockerode';
import { sha256Fingerprint } from '../../src/main/engine/hosts/host-key';
import { connectSshDockerHost, type SshDockerHost } from '../../src/main/engine/hosts/ssh-docker-host';
import { isAlive, pingDockerSocket, sleep, tailFile, waitForExit } from './local-docker';

const run = promisify(execFile);

/** A stand-in for a remote server: its own dockerd, bridge and OpenSSH server, reachable on 127.0.0.1. */
export interface RemoteServer {
  name: string;
  host: '127.0.0.1';
  port: number;
  username: 'root';
  privateKeyPath: string;
  privateKey: string;
  hostKeyFingerprint: string;
  hostKeyPath: string;
  dir: string;
  dockerSocketPath: string;
  sshdLogPath: string;
  dockerdLogPath: string;
  dockerRootDir: string;
}

interface Internals {
  dir: string;
  bridge?: string;
  dockerd?: ChildProcess;
  sshd?: ChildProcess;
  dockerSocketPath: string;
  stopping?: Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const live = new Map<string, Internals>();

// ---------------------------------------------------------------------------------------------
// Processes

/** Every process below `pid`, read from /proc: sshd's per-connection children and dockerd's containerd. */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      /* exited while we looked */
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

async function waitForPidsGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** SIGTERM to the process we spawned (and, for sshd, its connection children), SIGKILL to the whole tree after `graceMs`. */
async function terminate(child: ChildProcess | undefined, graceMs: number, alsoChildren: boolean): Promise<void> {
  const pid = child?.pid;
  if (!child || pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const tree = descendantsOf(pid);
  signal(pid, 'SIGTERM');
  if (alsoChildren) for (const descendant of tree) signal(descendant, 'SIGTERM');
  const exited = await waitForExit(child, graceMs);
  const remaining = [...tree, ...descendantsOf(pid)].filter(isAlive);
  if (!exited) signal(pid, 'SIGKILL');
  if (!exited || alsoChildren) {
    if (!(await waitForPidsGone(remaining, alsoChildren ? 2_000 : graceMs))) {
      for (const leftover of remaining) signal(leftover, 'SIGKILL');
    }
  }
  await waitForExit(child, 5_000);
  await waitForPidsGone(remaining, 5_000);
}

function spawnLogged(command: string, args: string[], logPath: string): ChildProcess {
  const logFd = openSync(logPath, 'a');
  try {
    // Detached: a Ctrl-C aimed at the test runner reaches our cleanup first, not these daemons half-way.
    const child = spawn(command, args, { detached: true, stdio: ['ignore', logFd, logFd] });
    child.on('error', () => {
      /* seen as an early exit by the readiness loops */
    });
    return child;
  } finally {
    closeSync(logFd);
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

// ---------------------------------------------------------------------------------------------
// Network: one bridge per engine

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

function overlaps(a: string, aLen: number, b: string, bLen: number): boolean {
  const len = Math.min(aLen, bLen);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return (ipv4ToInt(a) & mask) >>> 0 === (ipv4ToInt(b) & mask) >>> 0;
}

async function usedIpv4Networks(): Promise<[string, number][]> {
  const used: [string, number][] = [];
  const addrs = JSON.parse((await run('ip', ['-j', '-4', 'addr', 'show'])).stdout) as {
    addr_info?: { local: string; prefixlen: number }[];
  }[];
  for (const link of addrs) for (const info of link.addr_info ?? []) used.push([info.local, info.prefixlen]);
  const routes = JSON.parse((await run('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])).stdout) as {
    dst: string;
  }[];
  for (const route of routes) {
    if (route.dst === 'default') continue;
    const [address, len] = route.dst.split('/');
    if (address && /^\d+\.\d+\.\d+\.\d+$/.test(address)) used.push([address, len === undefined ? 32 : Number(len)]);
  }
  return used;
}

/** Creates a bridge named after its 10.x.y.0/24 subnet, so the name itself claims the subnet against parallel runs. */
async function createBridge(): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const x = 200 + Math.floor(Math.random() * 50);
    const y = Math.floor(Math.random() * 256);
    const network = `10.${x}.${y}.0`;
    const used = await usedIpv4Networks();
    if (used.some(([address, len]) => overlaps(address, len, network, 24))) continue;
    const name = `slw${x}-${y}`;
    try {
      await run('ip', ['link', 'add', name, 'type', 'bridge']);
    } catch {
      continue; // taken by a parallel run
    }
    await run('ip', ['addr', 'add', `10.${x}.${y}.1/24`, 'dev', name]);
    await run('ip', ['link', 'set', name, 'up']);
    return name;
  }
  throw new Error('No free 10.x.y.0/24 subnet for a test bridge');
}

async function deleteLink(name: string): Promise<void> {
  await run('ip', ['link', 'delete', name]).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Mounts: dockerd leaves its netns bind mount (and, if killed, overlay mounts) under its directory

function mountsUnder(dir: string): string[] {
  const prefix = `${dir}/`;
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mountPoint): mountPoint is string => mountPoint !== undefined && mountPoint.startsWith(prefix))
    .map((mountPoint) => mountPoint.replace(/\\040/g, ' '))
    .sort((a, b) => b.length - a.length);
}

async function unmountAll(dir: string): Promise<void> {
  for (const mountPoint of mountsUnder(dir)) {
    await run('umount', [mountPoint]).catch(() => run('umount', ['-l', mountPoint]).catch(() => undefined));
  }
}

// ---------------------------------------------------------------------------------------------
// Start

/** Resolves once something on the port speaks SSH (sends its `SSH-` banner). */
function sshBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('data', (data) => done(data.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => done(false));
  });
}

async function generateKey(path: string, comment: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

async function publicKeyBlob(pubPath: string): Promise<Buffer> {
  const [, base64] = (await readFile(pubPath, 'utf8')).trim().split(/\s+/);
  return Buffer.from(base64 ?? '', 'base64');
}

async function startDockerd(internals: Internals, dir: string, bridge: string, logPath: string): Promise<void> {
  await writeFile(join(dir, 'daemon.json'), '{}\n');
  const args = [
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'exec')}`,
    `--pidfile=${join(dir, 'docker.pid')}`,
    `--host=unix://${internals.dockerSocketPath}`,
    // Ignore /etc/docker/daemon.json: its settings belong to the machine's own engine.
    `--config-file=${join(dir, 'daemon.json')}`,
    `--bridge=${bridge}`,
    '--iptables=false',
    '--ip6tables=false',
    // Leave the machine's ip_forward sysctl alone; published ports go through the userland proxy.
    '--ip-forward=false',
    '--shutdown-timeout=3',
  ];
  const child = spawnLogged('dockerd', args, logPath);
  internals.dockerd = child;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await pingDockerSocket(internals.dockerSocketPath, 500))) {
    if (hasExited(child)) throw new Error(`dockerd exited while starting:\n${await tailFile(logPath)}`);
    if (Date.now() > deadline) throw new Error(`dockerd did not answer in time:\n${await tailFile(logPath)}`);
    await sleep(50);
  }
}

async function startSshd(internals: Internals, dir: string, logPath: string, options: ServerOptions): Promise<number> {
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  for (let attempt = 0; ; attempt++) {
    const port = await findFreePort();
    const configPath = join(dir, 'sshd_config');
    await writeFile(
      configPath,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'ssh_host_ed25519_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        // The keys live under /tmp, which StrictModes would reject.
        'StrictModes no',
        'UseDNS no',
        'PrintMotd no',
        'LogLevel VERBOSE',
        `SetEnv DOCKER_HOST=unix://${internals.dockerSocketPath}`,
        // Real servers offer SFTP; Slipway reads free disk space through it (statvfs), never a shell.
        'Subsystem sftp internal-sftp',
        ...(options.streamLocalForwarding === false ? ['AllowStreamLocalForwarding no'] : []),
        '',
      ].join('\n'),
    );
    const child = spawnLogged('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], logPath);
    internals.sshd = child;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!hasExited(child) && Date.now() < deadline) {
      if (await sshBanner(port)) return port;
      await sleep(50);
    }
    const log = await tailFile(logPath);
    // Another process may have taken the port between our probe and sshd's bind.
    if (hasExited(child) && /Address already in use/.test(log) && attempt < 3) continue;
    throw new Error(`sshd did not start on 127.0.0.1:${port}:\n${log}`);
  }
}

async function startOne(name: string, created: Internals[], options: ServerOptions): Promise<RemoteServer> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-srv-'));
  const internals: Internals = { dir, dockerSocketPath: join(dir, 'docker.sock') };
  live.set(dir, internals);
  created.push(internals);
  armCleanupHooks();

  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  const privateKeyPath = join(dir, 'client_ed25519');
  const sshdLogPath = join(dir, 'sshd.log');
  const dockerdLogPath = join(dir, 'dockerd.log');

  const engine = (async () => {
    internals.bridge = await createBridge();
    if (options.dataRootTmpfsMb !== undefined) await mountTmpfs(join(dir, 'data'), options.dataRootTmpfsMb);
    await startDockerd(internals, dir, internals.bridge, dockerdLogPath);
  })();
  const ssh = (async () => {
    await Promise.all([generateKey(hostKeyPath, `${name}-host`), generateKey(privateKeyPath, `${name}-client`)]);
    await writeFile(join(dir, 'authorized_keys'), await readFile(`${privateKeyPath}.pub`));
    await chmod(join(dir, 'authorized_keys'), 0o600);
    return startSshd(internals, dir, sshdLogPath, options);
  })();
  // Wait for both halves even when one fails, so the cleanup sees every process that was spawned.
  const [sshResult, engineResult] = await Promise.allSettled([ssh, engine]);
  if (sshResult.status === 'rejected') throw sshResult.reason;
  if (engineResult.status === 'rejected') throw engineResult.reason;
  const port = sshResult.value;

  const info = (await new Docker({ socketPath: internals.dockerSocketPath }).info()) as { DockerRootDir: string };
  return {
    name,
    host: '127.0.0.1',
    port,
    username: 'root',
    privateKeyPath,
    privateKey: await readFile(privateKeyPath, 'utf8'),
    hostKeyFingerprint: sha256Fingerprint(await publicKeyBlob(`${hostKeyPath}.pub`)),
    hostKeyPath,
    dir,
    dockerSocketPath: internals.dockerSocketPath,
    sshdLogPath,
    dockerdLogPath,
    dockerRootDir: info.DockerRootDir,
  };
}

/** The `servers.add` input for a test server: its key as the credential, its host key trusted up front. */
export function trustedServerInput(name: string, server: RemoteServer) {
  return {
    name,
    host: server.host,
    port: server.port,
    auth: { type: 'key' as const, keyPath: server.privateKeyPath },
    dockerSocket: server.dockerSocketPath,
    trust: server.hostKeyFingerprint,
  };
}

/** The test's own SSH connection to a server's engine (host key verified), to check what Slipway left there. */
export function connectServerEngine(server: RemoteServer): Promise<SshDockerHost> {
  return connectSshDockerHost(server.name, {
    host: server.host,
    port: server.port,
    username: server.username,
    privateKey: server.privateKey,
    trustedHostKey: server.hostKeyFingerprint,
    dockerSocketPath: server.dockerSocketPath,
  });
}

export interface ServerOptions {
  /** false: the sshd refuses socket forwarding (`AllowStreamLocalForwarding no`), as some hardened servers do. */
  streamLocalForwarding?: boolean;
  /** The server's Docker data-root on a tmpfs of this many MiB, so a test can fill its disk; unmounted at stop. */
  dataRootTmpfsMb?: number;
}

async function mountTmpfs(mountPoint: string, sizeMb: number): Promise<void> {
  await mkdir(mountPoint, { recursive: true, mode: 0o700 });
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', mountPoint]);
}

/**
 * The machine's own dockerd sets FORWARD's policy to DROP, and with br_netfilter on, frames between two containers
 * on one bridge pass that chain. A test server's engine runs with --iptables=false, so nothing would accept them:
 * containers on one app network (a service and its database) could not reach each other, as they can on a real
 * server. Frames bridged within one bridge are accepted, as Docker accepts them on its own networks (icc); traffic
 * routed between networks is not. Inserted once per machine and left: it changes nothing for the machine's engine.
 */
async function allowTrafficWithinBridges(): Promise<void> {
  const rule = ['DOCKER-USER', '-m', 'physdev', '--physdev-is-bridged', '-j', 'ACCEPT'];
  const present = await run('iptables', ['-C', ...rule]).then(
    () => true,
    () => false,
  );
  // No DOCKER-USER chain: no engine here drops forwarded frames, so nothing needs accepting.
  if (!present) await run('iptables', ['-I', ...rule]).catch(() => undefined);
}

/** Starts `n` independent remote servers concurrently; on any failure, stops what started and rethrows. */
export async function startRemoteServers(n: number, options: ServerOptions = {}): Promise<RemoteServer[]> {
  await allowTrafficWithinBridges();
  const runId = Math.random().toString(36).slice(2, 6);
  const created: Internals[] = [];
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => startOne(`remote-${runId}-${i + 1}`, created, options)),
  );
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    // Some servers may be half-built; stop everything this call registered.
    await Promise.allSettled(created.map((internals) => stopInternals(internals)));
    throw failure.reason;
  }
  return results.map((result) => (result as PromiseFulfilledResult<RemoteServer>).value);
}

// ---------------------------------------------------------------------------------------------
// Stop

/** Bridges of networks the tests created on this engine; dockerd leaves them on the host when it stops. */
async function userNetworkBridges(socketPath: string): Promise<string[]> {
  try {
    const docker = new Docker({ socketPath, timeout: 2_000 });
    const networks = await docker.listNetworks({ filters: { driver: ['bridge'] } });
    return networks
      .filter((network) => !['bridge', 'host', 'none'].includes(network.Name))
      .map((network) => network.Options?.['com.docker.network.bridge.name'] ?? `br-${network.Id.slice(0, 12)}`);
  } catch {
    return [];
  }
}

function stopInternals(internals: Internals): Promise<void> {
  internals.stopping ??= (async () => {
    const extraBridges =
      internals.dockerd && !hasExited(internals.dockerd) ? await userNetworkBridges(internals.dockerSocketPath) : [];
    await Promise.all([terminate(internals.dockerd, 20_000, false), terminate(internals.sshd, 5_000, true)]);
    await unmountAll(internals.dir);
    for (const bridge of [...extraBridges, ...(internals.bridge ? [internals.bridge] : [])]) await deleteLink(bridge);
    await rm(internals.dir, { recursive: true, force: true });
    live.delete(internals.dir);
    disarmCleanupHooksIfIdle();
  })();
  return internals.stopping;
}

/** Stops the servers' sshd and dockerd (by pid), unmounts, deletes their bridges and removes their directories. */
export async function stopRemoteServers(servers: readonly RemoteServer[]): Promise<void> {
  const errors: unknown[] = [];
  await Promise.all(
    servers.map(async (server) => {
      const internals = live.get(server.dir);
      if (internals) await stopInternals(internals).catch((err: unknown) => errors.push(err));
    }),
  );
  if (errors.length > 0) throw errors[0];
}

// ---------------------------------------------------------------------------------------------
// Last-resort cleanup when the process exits or is interrupted without stopRemoteServers

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function cleanupSync(): void {
  for (const internals of live.values()) {
    const pids: number[] = [];
    for (const child of [internals.dockerd, internals.sshd]) {
      if (child?.pid !== undefined && !hasExited(child)) pids.push(child.pid, ...descendantsOf(child.pid));
    }
    for (const pid of pids) signal(pid, 'SIGKILL');
    for (let i = 0; i < 60 && pids.some(isAlive); i++) sleepSync(50);
    for (const mountPoint of mountsUnder(internals.dir)) spawnSync('umount', ['-l', mountPoint]);
    if (internals.bridge) spawnSync('ip', ['link', 'delete', internals.bridge]);
    rmSync(internals.dir, { recursive: true, force: true });
  }
  live.clear();
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let armed = false;

function onSignal(sig: NodeJS.Signals): void {
  cleanupSync();
  disarmCleanupHooksIfIdle();
  // Re-raise so the process still dies of the signal, unless someone else handles it.
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

function armCleanupHooks(): void {
  if (armed) return;
  armed = true;
  process.on('exit', cleanupSync);
  for (const sig of SIGNALS) process.on(sig, onSignal);
}

function disarmCleanupHooksIfIdle(): void {
  if (!armed || live.size > 0) return;
  armed = false;
  process.off('exit', cleanupSync);
  for (const sig of SIGNALS) process.off(sig, onSignal);
}

// ---------------------------------------------------------------------------------------------
// Outages

/** Kills a server's sshd and every connection it serves, as a crash would; its Docker engine keeps running. */
export async function killSshd(server: RemoteServer): Promise<void> {
  const internals = live.get(server.dir);
  if (!internals?.sshd) throw new Error(`no sshd runs for ${server.name}`);
  await terminate(internals.sshd, 0, true);
}

/** Starts a server's sshd again, on the same port with the same keys and config. */
export async function restartSshd(server: RemoteServer): Promise<void> {
  const internals = live.get(server.dir);
  if (!internals) throw new Error(`${server.name} is not running`);
  const child = spawnLogged('/usr/sbin/sshd', ['-D', '-e', '-f', join(server.dir, 'sshd_config')], server.sshdLogPath);
  internals.sshd = child;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!hasExited(child) && Date.now() < deadline) {
    if (await sshBanner(server.port)) return;
    await sleep(50);
  }
  throw new Error(`sshd of ${server.name} did not come back on port ${server.port}`);
}

/** Restarts a server's Docker engine as an administrator would: a clean stop (its containers stop), then a start. */
export async function restartDockerd(server: RemoteServer): Promise<void> {
  const internals = live.get(server.dir);
  if (!internals?.dockerd || !internals.bridge) throw new Error(`no dockerd runs for ${server.name}`);
  await terminate(internals.dockerd, 20_000, false);
  await startDockerd(internals, server.dir, internals.bridge, server.dockerdLogPath);
}
