import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ServerAuthInput } from '../../../shared/domains/servers';
import { SlipwayError } from '../../../shared/errors';
import type { SshTarget } from '../hosts/ssh-docker-host';
import type { SecretBox } from '../secrets/secret-box';
import type { ServerRecord } from '../store/state-store';

/** The part of an ssh2 target that authenticates. */
export type SshCredentials = Pick<SshTarget, 'privateKey' | 'passphrase' | 'password' | 'agent'>;

/** Where ssh-agent is reached: Pageant on Windows, else `SSH_AUTH_SOCK`. */
export interface AgentEnv {
  platform: NodeJS.Platform;
  authSock: string | undefined;
}

const processAgentEnv = (): AgentEnv => ({ platform: process.platform, authSock: process.env.SSH_AUTH_SOCK });

const expandHome = (file: string) => (file.startsWith('~/') ? path.join(os.homedir(), file.slice(2)) : file);

/** How a server authenticates, as stored: a password or key passphrase sealed like spec secrets. */
export function sealAuth(secrets: SecretBox, auth: ServerAuthInput): ServerRecord['auth'] {
  return auth.type === 'password'
    ? { type: 'password', password: secrets.seal(auth.password) }
    : auth.type === 'key'
      ? {
          type: 'key',
          keyPath: auth.keyPath,
          ...(auth.passphrase ? { passphrase: secrets.seal(auth.passphrase) } : {}),
        }
      : { type: 'agent' };
}

/** What ssh2 authenticates with: secrets opened, the key file read, or the agent's socket. */
export async function openCredentials(
  record: Pick<ServerRecord, 'name' | 'auth'>,
  secrets: SecretBox,
  agentEnv: AgentEnv = processAgentEnv(),
): Promise<SshCredentials> {
  const auth = record.auth;
  if (auth.type === 'password') return { password: secrets.open(auth.password) };
  if (auth.type === 'key') {
    const privateKey = await readFile(expandHome(auth.keyPath)).catch((err: NodeJS.ErrnoException) => {
      throw new SlipwayError('SSH_AUTH_FAILED', `Cannot read the key ${auth.keyPath} for ${record.name}: ${err.code}.`);
    });
    return { privateKey, ...(auth.passphrase ? { passphrase: secrets.open(auth.passphrase) } : {}) };
  }
  const agent = agentEnv.platform === 'win32' ? 'pageant' : agentEnv.authSock;
  if (!agent) throw new SlipwayError('SSH_AUTH_FAILED', `${record.name} uses ssh-agent, but SSH_AUTH_SOCK is not set.`);
  return { agent };
}

/** The ssh2 target for a server record (without a jump host's stream), its secrets opened. */
export async function sshTargetFor(
  record: ServerRecord,
  secrets: SecretBox,
  verifyHostKey: (key: Buffer) => SlipwayError | null,
  agentEnv?: AgentEnv,
): Promise<SshTarget> {
  return {
    host: record.host,
    port: record.port,
    username: record.user,
    dockerSocketPath: record.dockerSocket,
    verifyHostKey,
    ...(await openCredentials(record, secrets, agentEnv)),
  };
}
