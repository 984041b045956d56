import { connectSshDockerHost, type SshDockerHost } from '../hosts/ssh-docker-host';
import type { SecretBox } from '../secrets/secret-box';
import type { ServerRecord, StateStore } from '../store/state-store';
import { sshTargetFor } from './credentials';
import { hostKeyVerifier } from './host-key-policy';
import { readKnownHosts } from './known-hosts';

export interface ConnectServerOptions {
  store: StateStore;
  secrets: SecretBox;
  /** `~/.ssh/known_hosts` unless given. */
  knownHostsFile?: string;
  /** The Docker host of a jump server (its own verified connection). */
  jumpHost: (name: string) => Promise<SshDockerHost>;
  /** Tests give a fake. */
  connect?: typeof connectSshDockerHost;
}

/**
 * Opens one verified SSH connection to a server: the host key checked
 * before any credential is sent, through its jump server if it has one. A
 * key known_hosts vouched for is remembered, so a later change is caught
 * even if the file changes.
 */
export async function connectServer(record: ServerRecord, options: ConnectServerOptions): Promise<SshDockerHost> {
  const known = await readKnownHosts(options.knownHostsFile);
  const verifier = hostKeyVerifier(record, known);
  const target = await sshTargetFor(record, options.secrets, verifier.verifyHostKey);
  if (record.jump) target.sock = await (await options.jumpHost(record.jump)).forward(record.host, record.port);
  const host = await (options.connect ?? connectSshDockerHost)(record.name, target);
  const vouched = verifier.vouched();
  if (vouched && !record.hostKey) {
    await options.store.update(() => {
      record.hostKey = vouched;
    });
  }
  return host;
}
