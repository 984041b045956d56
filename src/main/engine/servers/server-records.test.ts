import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretBox } from '../secrets/secret-box';
import type { ServerRecord, SlipwayState, StateStore } from '../store/state-store';
import { ServerRecords } from './server-records';

const box: SecretBox = { seal: (plain) => `sealed:${plain}`, open: (sealed) => sealed.replace(/^sealed:/, '') };

function fakeStore(servers: Partial<ServerRecord>[] = []): StateStore {
  const state = { schemaVersion: 2, apps: [], deployments: [], servers } as unknown as SlipwayState;
  return { state, update: async (change) => change(state) } as StateStore;
}

let dir: string;
let sshConfigFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'slipway-records-'));
  sshConfigFile = path.join(dir, 'config');
  await writeFile(
    sshConfigFile,
    [
      'Host prod',
      '  HostName 203.0.113.7',
      '  User deploy',
      '  Port 2222',
      '  ProxyJump admin@bastion.example:22',
      'Host lonely',
      '  HostName 203.0.113.9',
      '  ProxyJump nowhere.example',
    ].join('\n'),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const request = { name: 'web', host: 'web.example', auth: { type: 'agent' as const }, dockerSocket: '/d.sock' };

describe('ServerRecords.add', () => {
  it('stores a server with the defaults, its password sealed', async () => {
    const records = new ServerRecords(fakeStore(), box, sshConfigFile);
    const added = await records.add({ ...request, auth: { type: 'password', password: 'hunter2' } });
    expect(added).toMatchObject({
      name: 'web',
      host: 'web.example',
      port: 22,
      user: 'root',
      auth: { type: 'password', password: 'sealed:hunter2' },
      jump: null,
      hostKey: null,
    });
    expect(records.get('web')).toBe(added);
  });

  it('fills in what ~/.ssh/config says of an alias, jumping through the server it names', async () => {
    const store = fakeStore([{ name: 'bastion', host: 'bastion.example' }]);
    const records = new ServerRecords(store, box, sshConfigFile);
    expect(await records.add({ ...request, host: 'prod' })).toMatchObject({
      host: '203.0.113.7',
      port: 2222,
      user: 'deploy',
      jump: 'bastion',
    });
  });

  it('refuses an alias whose jump host is not a server', async () => {
    const records = new ServerRecords(fakeStore(), box, sshConfigFile);
    await expect(records.add({ ...request, host: 'lonely' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      details: { issues: [{ path: 'host', message: 'jump host nowhere.example is not a server' }] },
    });
  });

  it('refuses a name taken (or `local`) and an unknown jump server', async () => {
    const records = new ServerRecords(fakeStore([{ name: 'web', host: 'a' }]), box, sshConfigFile);
    await expect(records.add(request)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(records.add({ ...request, name: 'local' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(records.add({ ...request, name: 'api', jump: 'nope' })).rejects.toMatchObject({
      code: 'SERVER_NOT_FOUND',
    });
  });
});

describe('ServerRecords', () => {
  it('trusts a fingerprint, and deletes a record', async () => {
    const store = fakeStore([{ name: 'web', host: 'a', hostKey: null }]);
    const records = new ServerRecords(store, box);
    const trusted = await records.trust('web', 'SHA256:abc');
    expect(trusted.hostKey).toBe('SHA256:abc');
    await records.delete(trusted);
    expect(records.find('web')).toBeUndefined();
    expect(() => records.get('web')).toThrow(/no server named web/);
  });
});
