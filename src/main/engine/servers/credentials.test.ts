import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretBox } from '../secrets/secret-box';
import type { ServerRecord } from '../store/state-store';
import { openCredentials, sealAuth, sshTargetFor, type AgentEnv } from './credentials';

/** Reversible and visibly different from the plain text. */
const box: SecretBox = {
  seal: (plain) => `sealed:${plain}`,
  open: (sealed) => {
    if (!sealed.startsWith('sealed:')) throw new Error(`not sealed: ${sealed}`);
    return sealed.slice('sealed:'.length);
  },
};

const noAgent: AgentEnv = { platform: 'linux', authSock: undefined };

const record = (auth: ServerRecord['auth']): ServerRecord => ({
  name: 'web',
  host: 'web.example',
  port: 2222,
  user: 'deploy',
  auth,
  jump: null,
  dockerSocket: '/run/docker.sock',
  hostKey: null,
  createdAt: new Date(0).toISOString(),
});

let dir: string;
let keyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'slipway-credentials-'));
  keyFile = path.join(dir, 'id_test');
  await writeFile(keyFile, 'PRIVATE KEY');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sealAuth', () => {
  it('seals a password', () => {
    expect(sealAuth(box, { type: 'password', password: 'hunter2' })).toEqual({
      type: 'password',
      password: 'sealed:hunter2',
    });
  });

  it('seals a key passphrase, and stores none when there is none', () => {
    expect(sealAuth(box, { type: 'key', keyPath: '/k', passphrase: 'words' })).toEqual({
      type: 'key',
      keyPath: '/k',
      passphrase: 'sealed:words',
    });
    expect(sealAuth(box, { type: 'key', keyPath: '/k', passphrase: '' })).toEqual({ type: 'key', keyPath: '/k' });
    expect(sealAuth(box, { type: 'key', keyPath: '/k' })).toEqual({ type: 'key', keyPath: '/k' });
  });

  it('keeps nothing for the agent', () => {
    expect(sealAuth(box, { type: 'agent' })).toEqual({ type: 'agent' });
  });
});

describe('openCredentials', () => {
  it('opens a sealed password', async () => {
    expect(await openCredentials(record({ type: 'password', password: 'sealed:hunter2' }), box, noAgent)).toEqual({
      password: 'hunter2',
    });
  });

  it('reads the key file and opens its passphrase', async () => {
    const credentials = await openCredentials(
      record({ type: 'key', keyPath: keyFile, passphrase: 'sealed:words' }),
      box,
      noAgent,
    );
    expect(credentials.privateKey?.toString()).toBe('PRIVATE KEY');
    expect(credentials.passphrase).toBe('words');
  });

  it('says which key it cannot read, as an authentication failure', async () => {
    const missing = path.join(dir, 'missing');
    await expect(openCredentials(record({ type: 'key', keyPath: missing }), box, noAgent)).rejects.toMatchObject({
      code: 'SSH_AUTH_FAILED',
      message: `Cannot read the key ${missing} for web: ENOENT.`,
    });
  });

  it('uses the agent of SSH_AUTH_SOCK, or Pageant on Windows', async () => {
    const agent = record({ type: 'agent' });
    expect(await openCredentials(agent, box, { platform: 'linux', authSock: '/tmp/agent.sock' })).toEqual({
      agent: '/tmp/agent.sock',
    });
    expect(await openCredentials(agent, box, { platform: 'win32', authSock: undefined })).toEqual({
      agent: 'pageant',
    });
  });

  it('refuses the agent when SSH_AUTH_SOCK is not set', async () => {
    await expect(openCredentials(record({ type: 'agent' }), box, noAgent)).rejects.toMatchObject({
      code: 'SSH_AUTH_FAILED',
      message: 'web uses ssh-agent, but SSH_AUTH_SOCK is not set.',
    });
  });
});

describe('sshTargetFor', () => {
  it('turns a record into an ssh2 target, its secret opened and the host key verifier in place', async () => {
    const verifyHostKey = () => null;
    expect(await sshTargetFor(record({ type: 'password', password: 'sealed:hunter2' }), box, verifyHostKey)).toEqual({
      host: 'web.example',
      port: 2222,
      username: 'deploy',
      dockerSocketPath: '/run/docker.sock',
      verifyHostKey,
      password: 'hunter2',
    });
  });
});
