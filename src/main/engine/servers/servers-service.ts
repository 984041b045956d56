import { EventEmitter } from 'node:events';
import type { ServerEvent, ServerStatus, ServerSummary, SshConfigSuggestion } from '../../../shared/domains/servers';
import { SlipwayError } from '../../../shared/errors';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import type { DockerHost } from '../hosts/docker-host';
import type { SshDockerHost } from '../hosts/ssh-docker-host';
import type { SecretBox } from '../secrets/secret-box';
import type { ServerRecord, StateStore } from '../store/state-store';
import { connectServer } from './connect-server';
import { ConnectionPool } from './connection-pool';
import { ServerRecords, type AddServerRequest } from './server-records';
import { connectionLostStatus, localServerSummary, probeServer, serverSummary } from './server-status';
import { sshConfigSuggestions } from './ssh-config-suggestions';

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

/**
 * Implements the `servers` domain: the records (`server-records.ts`), one
 * verified SSH connection per server (`connection-pool.ts`,
 * `connect-server.ts`) and each server's last status (`server-status.ts`),
 * told to subscribers as it changes.
 */
export class ServersService {
  private readonly events = new EventEmitter();
  private readonly statuses = new Map<string, ServerStatus>();
  private readonly records: ServerRecords;
  private readonly pool: ConnectionPool;

  constructor(private readonly options: ServersOptions) {
    this.events.setMaxListeners(0);
    this.records = new ServerRecords(options.store, options.secrets, options.sshConfigFile);
    this.pool = new ConnectionPool({
      record: (name) => this.records.get(name),
      find: (name) => this.records.find(name),
      connect: (record) =>
        connectServer(record, {
          store: options.store,
          secrets: options.secrets,
          knownHostsFile: options.knownHostsFile,
          jumpHost: (name) => this.host(name),
        }),
      onLost: (record) => {
        this.statuses.set(record.name, connectionLostStatus(this.records.appsOn(record.name)));
        this.emit({ type: 'status', server: this.summary(record) });
      },
      onBack: async (record) => {
        await this.refresh(record);
        await this.options.onReconnect?.(record.name).catch(() => undefined);
      },
    });
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

  private summary(record: ServerRecord): ServerSummary {
    return serverSummary(record, this.statuses.get(record.name), this.records.appsOn(record.name));
  }

  /** Adds a server (its secret sealed) and tries it. */
  async add(request: AddServerRequest): Promise<ServerSummary> {
    const record = await this.records.add(request);
    return this.test(record.name);
  }

  /** Trusts a host key; the server must present exactly that key. */
  async trust(request: { name: string; fingerprint: string }): Promise<ServerSummary> {
    const record = await this.records.trust(request.name, request.fingerprint);
    return this.test(record.name);
  }

  /** Drops any connection and checks the server again now. */
  async test(name: string): Promise<ServerSummary> {
    const record = this.records.get(name);
    this.pool.forgetFailure(name);
    await this.pool.disconnect(name);
    await this.refresh(record);
    return this.summary(record);
  }

  async remove(name: string): Promise<{ removed: string }> {
    const record = this.records.get(name);
    const apps = this.records.appsOn(name);
    if (apps > 0) {
      throw new SlipwayError('INVALID_REQUEST', `${name} still has ${apps} app(s); delete or move them first.`);
    }
    await this.pool.disconnect(name);
    await this.records.delete(record);
    this.statuses.delete(name);
    this.emit({ type: 'removed', name });
    return { removed: name };
  }

  get(name: string): ServerSummary {
    return this.summary(this.records.get(name));
  }

  /** Every server with a fresh status, checked at the same time: a slow one holds up only itself. */
  async list(): Promise<ServerSummary[]> {
    const [local] = await Promise.all([
      localServerSummary(this.options.local, () => this.records.appsOn('local')),
      ...this.records.all.map((r) => this.refresh(r)),
    ]);
    return [local, ...this.records.all.map((r) => this.summary(r))];
  }

  /** Checks one server and tells its status (and a key waiting to be trusted). */
  private async refresh(record: ServerRecord): Promise<void> {
    const status = await probeServer(record, () => this.host(record.name), this.records.appsOn(record.name));
    if (status.state === 'untrusted') {
      this.emit({ type: 'host-key', name: record.name, fingerprint: status.presentedFingerprint! });
    }
    this.statuses.set(record.name, status);
    this.emit({ type: 'status', server: this.summary(record) });
  }

  /** The server's Docker host over its one SSH connection, connecting (or reconnecting) when needed. */
  host(name: string): Promise<SshDockerHost> {
    return this.pool.host(name);
  }

  /** Hosts of ~/.ssh/config, as suggestions for new servers. */
  sshConfigHosts(): Promise<SshConfigSuggestion[]> {
    return sshConfigSuggestions(this.options.sshConfigFile);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
