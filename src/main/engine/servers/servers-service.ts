import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  ServerEvent,
  ServerStatus,
  ServerSummary,
  ServerAuthInput,
  SshConfigSuggestion,
} from '../../../shared/domains/servers';
import { withTimeout } from '../base/with-timeout';
import { SlipwayError } from '../../../shared/errors';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import type { DockerHost } from '../hosts/docker-host';
import { sha256Fingerprint } from '../hosts/host-key';
import { connectSshDockerHost, type SshDockerHost, type SshTarget } from '../hosts/ssh-docker-host';
import type { SecretBox } from '../secrets/secret-box';
import type { ServerRecord, StateStore } from '../store/state-store';
import { reconnectDelay } from './backoff';
import { lookupHostKey, readKnownHosts } from './known-hosts';
import { readSshConfigHosts, resolveSshAlias } from './ssh-config';

/** How long one server may take to answer a status check before it counts as offline. */
const STATUS_TIMEOUT_MS = 8_000;

export interface ServersOptions {
  store: StateStore;
  secrets: SecretBox;
  local: DockerHost & { endpoint: string };
  /** `~/.ssh/known_hosts` and `~/.ssh/config` unless given (tests give their own). */
  knownHostsFile?: string;
  sshConfigFile?: string;
  /** Called once a lost connection is back: the moment to reconcile that server's apps. */
  onReconnect?: (server: string) => Promise<void>;
}

interface Connection {
  host: Promise<SshDockerHost>;
}

/** A status call bounded in time: a server that does not answer is reported, never waited for. */
const withinStatusTime = <T>(promise: Promise<T>, ms: number, what: string) =>
  withTimeout(promise, ms, {
    error: () => new SlipwayError('SSH_UNREACHABLE', `${what} did not answer within ${ms / 1000} s.`),
  });

const expandHome = (file: string) => (file.startsWith('~/') ? path.join(os.homedir(), file.slice(2)) : file);

/**
 * Implements the `servers` domain: one verified SSH connection per server,
 * reused for everything and opened again (with backoff) when it drops.
 * Authentication failures and host-key problems are never retried by
 * themselves: the user has to act.
 */
export class ServersService {
  private readonly events = new EventEmitter();
  private readonly connections = new Map<string, Connection>();
  private readonly statuses = new Map<string, ServerStatus>();
  private readonly failures = new Map<string, { attempts: number; retryAt: number; error: SlipwayError }>();
  private readonly reconnecting = new Map<string, NodeJS.Timeout>();
  private closing = false;

  constructor(private readonly options: ServersOptions) {
    this.events.setMaxListeners(0);
  }

  private get records(): ServerRecord[] {
    return this.options.store.state.servers;
  }

  private recordOrThrow(name: string): ServerRecord {
    const record = this.records.find((s) => s.name === name);
    if (!record) throw new SlipwayError('SERVER_NOT_FOUND', `There is no server named ${name}.`, { server: name });
    return record;
  }

  private emit(event: ServerEvent) {
    this.events.emit('event', event);
  }

  /** False when the server is known not to answer now; a server not checked yet is given the benefit of the doubt. */
  answers(name: string): boolean {
    const state = this.statuses.get(name)?.state;
    return state === undefined || state === 'online';
  }

  subscribe(emit: (event: ServerEvent) => void): Unsubscribe {
    this.events.on('event', emit);
    return () => this.events.off('event', emit);
  }

  private appsOn(server: string): number {
    return this.options.store.state.apps.filter((a) => a.server === server).length;
  }

  private summary(record: ServerRecord): ServerSummary {
    return {
      name: record.name,
      kind: 'ssh',
      host: record.host,
      port: record.port,
      user: record.user,
      auth: record.auth.type,
      jump: record.jump,
      dockerSocket: record.dockerSocket,
      hostKey: record.hostKey,
      status: {
        ...(this.statuses.get(record.name) ?? {
          state: 'offline',
          reason: 'not checked yet',
          checkedAt: new Date(0).toISOString(),
        }),
        // Counted now, not when the server was last checked: apps come and go between checks.
        apps: this.appsOn(record.name),
      },
    };
  }

  /** Adds a server (its secret sealed) and tries it. */
  async add(request: {
    name: string;
    host: string;
    port?: number;
    user?: string;
    auth: ServerAuthInput;
    jump?: string;
    dockerSocket: string;
    trust?: string;
  }): Promise<ServerSummary> {
    if (request.name === 'local' || this.records.some((s) => s.name === request.name)) {
      throw new SlipwayError('INVALID_REQUEST', `name: a server named ${request.name} exists already.`, {
        issues: [{ path: 'name', message: 'exists already' }],
      });
    }
    const alias = resolveSshAlias(await readSshConfigHosts(this.options.sshConfigFile), request.host);
    const jumpAlias = alias?.proxyJump[0];
    const jump = request.jump ?? (jumpAlias ? this.jumpServerFor(jumpAlias) : undefined);
    if (jump) this.recordOrThrow(jump);
    const auth: ServerRecord['auth'] =
      request.auth.type === 'password'
        ? { type: 'password', password: this.options.secrets.seal(request.auth.password) }
        : request.auth.type === 'key'
          ? {
              type: 'key',
              keyPath: request.auth.keyPath,
              ...(request.auth.passphrase ? { passphrase: this.options.secrets.seal(request.auth.passphrase) } : {}),
            }
          : { type: 'agent' };
    const record: ServerRecord = {
      name: request.name,
      host: alias?.hostName ?? request.host,
      port: request.port ?? alias?.port ?? 22,
      user: request.user ?? alias?.user ?? 'root',
      auth,
      jump: jump ?? null,
      dockerSocket: request.dockerSocket,
      hostKey: request.trust ?? null,
      createdAt: new Date().toISOString(),
    };
    await this.options.store.update((state) => state.servers.push(record));
    return this.test(record.name);
  }

  /** The added server a ~/.ssh/config ProxyJump (`[user@]host[:port]`) names, by server name or host. */
  private jumpServerFor(proxyJump: string): string {
    const host = proxyJump.replace(/^.*@/, '').replace(/:\d+$/, '');
    const server = this.records.find((s) => s.name === host || s.host === host);
    if (!server) {
      throw new SlipwayError(
        'INVALID_REQUEST',
        `host: ~/.ssh/config jumps through ${proxyJump}; add that host as a server first (each hop's key is verified).`,
        { issues: [{ path: 'host', message: `jump host ${proxyJump} is not a server` }] },
      );
    }
    return server.name;
  }

  /** Trusts a host key; the server must present exactly that key. */
  async trust(request: { name: string; fingerprint: string }): Promise<ServerSummary> {
    const record = this.recordOrThrow(request.name);
    await this.options.store.update(() => {
      record.hostKey = request.fingerprint;
    });
    return this.test(record.name);
  }

  /** Drops any connection and checks the server again now. */
  async test(name: string): Promise<ServerSummary> {
    const record = this.recordOrThrow(name);
    this.failures.delete(name);
    await this.disconnect(name);
    await this.refresh(record);
    return this.summary(record);
  }

  async remove(name: string): Promise<{ removed: string }> {
    const record = this.recordOrThrow(name);
    const apps = this.appsOn(name);
    if (apps > 0) {
      throw new SlipwayError('INVALID_REQUEST', `${name} still has ${apps} app(s); delete or move them first.`);
    }
    await this.disconnect(name);
    await this.options.store.update((state) => {
      state.servers = state.servers.filter((s) => s !== record);
    });
    this.statuses.delete(name);
    this.emit({ type: 'removed', name });
    return { removed: name };
  }

  get(name: string): ServerSummary {
    return this.summary(this.recordOrThrow(name));
  }

  /** Every server with a fresh status, checked at the same time: a slow one holds up only itself. */
  async list(): Promise<ServerSummary[]> {
    const [local] = await Promise.all([this.localSummary(), ...this.records.map((r) => this.refresh(r))]);
    return [local, ...this.records.map((r) => this.summary(r))];
  }

  private async localSummary(): Promise<ServerSummary> {
    const { local } = this.options;
    let status: ServerStatus;
    try {
      const version = await withinStatusTime(local.docker.version(), STATUS_TIMEOUT_MS, 'The local Docker engine');
      status = {
        state: 'online',
        dockerVersion: version.Version,
        apps: this.appsOn('local'),
        checkedAt: new Date().toISOString(),
      };
    } catch (err) {
      status = {
        state: 'offline',
        reason: (err as Error).message,
        apps: this.appsOn('local'),
        checkedAt: new Date().toISOString(),
      };
    }
    return {
      name: 'local',
      kind: 'local',
      host: local.endpoint,
      port: 0,
      user: os.userInfo().username,
      auth: 'local',
      jump: null,
      dockerSocket: local.endpoint,
      hostKey: null,
      status,
    };
  }

  /** Checks one server: connection, Docker version, apps, free disk. */
  private async refresh(record: ServerRecord): Promise<void> {
    const checkedAt = new Date().toISOString();
    const apps = this.appsOn(record.name);
    let status: ServerStatus;
    try {
      const host = await withinStatusTime(this.host(record.name), STATUS_TIMEOUT_MS, `${record.host}:${record.port}`);
      const [version, info] = await withinStatusTime(
        Promise.all([host.docker.version(), host.docker.info() as Promise<{ DockerRootDir?: string }>]),
        STATUS_TIMEOUT_MS,
        `The Docker engine on ${record.name}`,
      );
      const diskFree = await withinStatusTime(
        host.diskFree(info.DockerRootDir ?? '/'),
        STATUS_TIMEOUT_MS,
        'statvfs',
      ).catch(() => undefined);
      status = { state: 'online', dockerVersion: version.Version, apps, checkedAt, ...(diskFree ? { diskFree } : {}) };
    } catch (err) {
      const e = err as SlipwayError;
      const presented = (e.details as { presented?: string } | undefined)?.presented;
      status =
        e.code === 'HOST_KEY_UNTRUSTED' && presented
          ? { state: 'untrusted', reason: e.message, presentedFingerprint: presented, apps, checkedAt }
          : { state: 'offline', reason: e.message, apps, checkedAt };
      if (status.state === 'untrusted') this.emit({ type: 'host-key', name: record.name, fingerprint: presented! });
    }
    this.statuses.set(record.name, status);
    this.emit({ type: 'status', server: this.summary(record) });
  }

  /** The server's Docker host over its one SSH connection, connecting (or reconnecting) when needed. */
  host(name: string): Promise<SshDockerHost> {
    const existing = this.connections.get(name);
    if (existing) return existing.host;
    const failure = this.failures.get(name);
    if (failure && (failure.error.code !== 'SSH_UNREACHABLE' || Date.now() < failure.retryAt)) {
      // Wrong credentials or keys are not retried by themselves; an unreachable server waits its backoff.
      return Promise.reject(failure.error);
    }
    const record = this.recordOrThrow(name);
    const host = this.connect(record).then(
      (connected) => {
        this.failures.delete(name);
        void connected.closed.then(() => {
          if (this.connections.get(name)?.host !== host) return;
          this.connections.delete(name);
          this.statuses.set(name, {
            state: 'offline',
            reason: 'connection lost',
            apps: this.appsOn(name),
            checkedAt: new Date().toISOString(),
          });
          this.emit({ type: 'status', server: this.summary(record) });
          this.reconnect(name, 0);
        });
        return connected;
      },
      (err: unknown) => {
        this.connections.delete(name);
        const error = err instanceof SlipwayError ? err : new SlipwayError('SSH_UNREACHABLE', (err as Error).message);
        const attempts = (this.failures.get(name)?.attempts ?? 0) + 1;
        this.failures.set(name, { attempts, retryAt: Date.now() + reconnectDelay(attempts - 1), error });
        throw error;
      },
    );
    this.connections.set(name, { host });
    return host;
  }

  /** Opens a dropped connection again, waiting longer after each failed try; wrong keys or credentials stop it. */
  private reconnect(name: string, attempt: number): void {
    if (this.closing || this.reconnecting.has(name)) return;
    const timer = setTimeout(async () => {
      this.reconnecting.delete(name);
      const record = this.records.find((s) => s.name === name);
      if (!record || this.closing) return;
      this.failures.delete(name);
      try {
        await this.host(name);
      } catch (err) {
        const code = (err as SlipwayError).code;
        if (code === 'SSH_UNREACHABLE') this.reconnect(name, attempt + 1);
        return;
      }
      await this.refresh(record);
      await this.options.onReconnect?.(name).catch(() => undefined);
    }, reconnectDelay(attempt));
    timer.unref();
    this.reconnecting.set(name, timer);
  }

  private async connect(record: ServerRecord): Promise<SshDockerHost> {
    const known = await readKnownHosts(this.options.knownHostsFile);
    let vouched: string | null = null;
    const verifyHostKey = (key: Buffer): SlipwayError | null => {
      const presented = sha256Fingerprint(key);
      const where = `${record.host}:${record.port}`;
      if (record.hostKey) {
        return presented === record.hostKey
          ? null
          : new SlipwayError(
              'HOST_KEY_MISMATCH',
              `The host key of ${where} has changed: Slipway trusts ${record.hostKey}, the server presented ${presented}. Nothing was sent. If the change is expected, trust the new key.`,
              { expected: record.hostKey, presented },
            );
      }
      const found = lookupHostKey(known, record.host, record.port, key);
      if (found.status === 'match') {
        vouched = presented;
        return null;
      }
      if (found.status === 'mismatch' || found.status === 'revoked') {
        const expected = found.status === 'mismatch' ? found.knownFingerprints.join(', ') : 'none (the key is revoked)';
        return new SlipwayError(
          'HOST_KEY_MISMATCH',
          `The host key of ${where} does not match ~/.ssh/known_hosts: it lists ${expected}, the server presented ${presented}. Nothing was sent.`,
          { expected, presented },
        );
      }
      return new SlipwayError(
        'HOST_KEY_UNTRUSTED',
        `${where} presented host key ${presented}, which is not trusted yet. Check it and trust it.`,
        { presented },
      );
    };
    const target: SshTarget = {
      host: record.host,
      port: record.port,
      username: record.user,
      dockerSocketPath: record.dockerSocket,
      verifyHostKey,
      ...(await this.credentials(record)),
    };
    if (record.jump) target.sock = await (await this.host(record.jump)).forward(record.host, record.port);
    const host = await connectSshDockerHost(record.name, target);
    if (vouched && !record.hostKey) {
      // known_hosts vouched for it: remember, so a later change is caught even if the file changes.
      await this.options.store.update(() => {
        record.hostKey = vouched;
      });
    }
    return host;
  }

  private async credentials(
    record: ServerRecord,
  ): Promise<Pick<SshTarget, 'privateKey' | 'passphrase' | 'password' | 'agent'>> {
    const auth = record.auth;
    if (auth.type === 'password') return { password: this.options.secrets.open(auth.password) };
    if (auth.type === 'key') {
      const privateKey = await readFile(expandHome(auth.keyPath)).catch((err: NodeJS.ErrnoException) => {
        throw new SlipwayError(
          'SSH_AUTH_FAILED',
          `Cannot read the key ${auth.keyPath} for ${record.name}: ${err.code}.`,
        );
      });
      return { privateKey, ...(auth.passphrase ? { passphrase: this.options.secrets.open(auth.passphrase) } : {}) };
    }
    const agent = process.platform === 'win32' ? 'pageant' : process.env.SSH_AUTH_SOCK;
    if (!agent)
      throw new SlipwayError('SSH_AUTH_FAILED', `${record.name} uses ssh-agent, but SSH_AUTH_SOCK is not set.`);
    return { agent };
  }

  private async disconnect(name: string): Promise<void> {
    const connection = this.connections.get(name);
    this.connections.delete(name);
    const host = await connection?.host.catch(() => null);
    await host?.close();
  }

  /** Hosts of ~/.ssh/config, as suggestions for new servers. */
  async sshConfigHosts(): Promise<SshConfigSuggestion[]> {
    const hosts = await readSshConfigHosts(this.options.sshConfigFile);
    const suggestions: SshConfigSuggestion[] = [];
    for (const alias of new Set(hosts.flatMap((h) => h.aliases))) {
      const resolved = resolveSshAlias(hosts, alias);
      if (!resolved) continue;
      suggestions.push({
        alias,
        hostName: resolved.hostName,
        user: resolved.user ?? null,
        port: resolved.port,
        identityFile: resolved.identityFiles[0] ?? null,
        proxyJump: resolved.proxyJump,
      });
    }
    return suggestions;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.reconnecting.values()) clearTimeout(timer);
    this.reconnecting.clear();
    await Promise.all([...this.connections.keys()].map((name) => this.disconnect(name)));
  }
}
