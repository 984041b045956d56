import type { ServerAuthInput } from '../../../shared/domains/servers';
import { SlipwayError } from '../../../shared/errors';
import type { SecretBox } from '../secrets/secret-box';
import type { ServerRecord, StateStore } from '../store/state-store';
import { sealAuth } from './credentials';
import { readSshConfigHosts, resolveSshAlias } from './ssh-config';

export interface AddServerRequest {
  name: string;
  host: string;
  port?: number;
  user?: string;
  auth: ServerAuthInput;
  jump?: string;
  dockerSocket: string;
  trust?: string;
}

/**
 * The stored servers: lookups, and adding (with what `~/.ssh/config` says
 * of the host, the secret sealed), trusting and removing a record.
 */
export class ServerRecords {
  constructor(
    private readonly store: StateStore,
    private readonly secrets: SecretBox,
    /** `~/.ssh/config` unless given. */
    private readonly sshConfigFile?: string,
  ) {}

  get all(): ServerRecord[] {
    return this.store.state.servers;
  }

  find(name: string): ServerRecord | undefined {
    return this.all.find((s) => s.name === name);
  }

  get(name: string): ServerRecord {
    const record = this.find(name);
    if (!record) throw new SlipwayError('SERVER_NOT_FOUND', `There is no server named ${name}.`, { server: name });
    return record;
  }

  /** How many apps target a server (`local` included). */
  appsOn(server: string): number {
    return this.store.state.apps.filter((a) => a.server === server).length;
  }

  /** Stores a new server; a ~/.ssh/config alias fills in its host name, port, user and jump server. */
  async add(request: AddServerRequest): Promise<ServerRecord> {
    if (request.name === 'local' || this.all.some((s) => s.name === request.name)) {
      throw new SlipwayError('INVALID_REQUEST', `name: a server named ${request.name} exists already.`, {
        issues: [{ path: 'name', message: 'exists already' }],
      });
    }
    const alias = resolveSshAlias(await readSshConfigHosts(this.sshConfigFile), request.host);
    const jumpAlias = alias?.proxyJump[0];
    const jump = request.jump ?? (jumpAlias ? this.jumpServerFor(jumpAlias) : undefined);
    if (jump) this.get(jump);
    const record: ServerRecord = {
      name: request.name,
      host: alias?.hostName ?? request.host,
      port: request.port ?? alias?.port ?? 22,
      user: request.user ?? alias?.user ?? 'root',
      auth: sealAuth(this.secrets, request.auth),
      jump: jump ?? null,
      dockerSocket: request.dockerSocket,
      hostKey: request.trust ?? null,
      createdAt: new Date().toISOString(),
    };
    await this.store.update((state) => state.servers.push(record));
    return record;
  }

  /** The added server a ~/.ssh/config ProxyJump (`[user@]host[:port]`) names, by server name or host. */
  private jumpServerFor(proxyJump: string): string {
    const host = proxyJump.replace(/^.*@/, '').replace(/:\d+$/, '');
    const server = this.all.find((s) => s.name === host || s.host === host);
    if (!server) {
      throw new SlipwayError(
        'INVALID_REQUEST',
        `host: ~/.ssh/config jumps through ${proxyJump}; add that host as a server first (each hop's key is verified).`,
        { issues: [{ path: 'host', message: `jump host ${proxyJump} is not a server` }] },
      );
    }
    return server.name;
  }

  /** Trusts a host key: the server must present exactly that key from now on. */
  async trust(name: string, fingerprint: string): Promise<ServerRecord> {
    const record = this.get(name);
    await this.store.update(() => {
      record.hostKey = fingerprint;
    });
    return record;
  }

  async delete(record: ServerRecord): Promise<void> {
    await this.store.update((state) => {
      state.servers = state.servers.filter((s) => s !== record);
    });
  }
}
