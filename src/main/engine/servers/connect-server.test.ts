import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256Fingerprint } from '../hosts/host-key';
import type { SshDockerHost, SshTarget } from '../hosts/ssh-docker-host';
import type { SecretBox } from '../secrets/secret-box';
import type { ServerRecord, StateStore } from '../store/state-store';
import { connectServer } from './connect-server';

function keyBlob(): Buffer {
  const name = Buffer.from('ssh-ed25519');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, randomBytes(36)]);
}

const box: SecretBox = { seal: (plain) => `sealed:${plain}`, open: (sealed) => sealed.replace(/^sealed:/, '') };

const fakeStore = () => {
  const update = vi.fn(async <T>(change: () => T) => change());
  return { store: { update } as unknown as StateStore, update };
};

const record = (overrides: Partial<ServerRecord> = {}): ServerRecord => ({
  name: 'web',
  host: 'web.example',
  port: 22,
  user: 'deploy',
  auth: { type: 'password', password: 'sealed:hunter2' },
  jump: null,
  dockerSocket: '/var/run/docker.sock',
  hostKey: null,
  createdAt: new Date(0).toISOString(),
  ...overrides,
});

/** An ssh2 stand-in: presents `key` to the target's verifier, as ssh2 does before authenticating. */
function fakeConnect(key: Buffer) {
  const targets: SshTarget[] = [];
  const host = {} as SshDockerHost;
  const connect = vi.fn(async (_name: string, target: SshTarget) => {
    targets.push(target);
    const refusal = target.verifyHostKey?.(key);
    if (refusal) throw refusal;
    return host;
  });
  return { connect, targets, host };
}

let dir: string;
let knownHostsFile: string;
const known = keyBlob();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'slipway-connect-'));
  knownHostsFile = path.join(dir, 'known_hosts');
  await writeFile(knownHostsFile, `web.example ssh-ed25519 ${known.toString('base64')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('connectServer', () => {
  it('connects with the secret opened, and remembers a key known_hosts vouched for', async () => {
    const { store, update } = fakeStore();
    const { connect, targets, host } = fakeConnect(known);
    const server = record();
    const jumpHost = vi.fn();
    expect(await connectServer(server, { store, secrets: box, knownHostsFile, jumpHost, connect })).toBe(host);
    expect(targets[0]).toMatchObject({ host: 'web.example', port: 22, username: 'deploy', password: 'hunter2' });
    expect(targets[0]?.sock).toBeUndefined();
    expect(jumpHost).not.toHaveBeenCalled();
    expect(server.hostKey).toBe(sha256Fingerprint(known));
    expect(update).toHaveBeenCalledTimes(1);
  });

  it('writes nothing when the user had trusted the key', async () => {
    const { store, update } = fakeStore();
    const presented = keyBlob();
    const server = record({ hostKey: sha256Fingerprint(presented) });
    await connectServer(server, { store, secrets: box, knownHostsFile, jumpHost: vi.fn(), ...fakeConnect(presented) });
    expect(server.hostKey).toBe(sha256Fingerprint(presented));
    expect(update).not.toHaveBeenCalled();
  });

  it('refuses a key known_hosts contradicts, storing nothing', async () => {
    const { store, update } = fakeStore();
    const server = record();
    await expect(
      connectServer(server, { store, secrets: box, knownHostsFile, jumpHost: vi.fn(), ...fakeConnect(keyBlob()) }),
    ).rejects.toMatchObject({ code: 'HOST_KEY_MISMATCH' });
    expect(server.hostKey).toBeNull();
    expect(update).not.toHaveBeenCalled();
  });

  it('reaches a server behind a jump server through a stream the jump server forwards', async () => {
    const { store } = fakeStore();
    const { connect, targets } = fakeConnect(known);
    const sock = {} as Duplex;
    const forward = vi.fn(async () => sock);
    const jumpHost = vi.fn(async () => ({ forward }) as unknown as SshDockerHost);
    await connectServer(record({ jump: 'bastion' }), { store, secrets: box, knownHostsFile, jumpHost, connect });
    expect(jumpHost).toHaveBeenCalledWith('bastion');
    expect(forward).toHaveBeenCalledWith('web.example', 22);
    expect(targets[0]?.sock).toBe(sock);
  });
});
