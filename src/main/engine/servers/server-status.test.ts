import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import type { SshDockerHost } from '../hosts/ssh-docker-host';
import type { ServerRecord } from '../store/state-store';
import { localServerSummary, probeServer, serverSummary, STATUS_TIMEOUT_MS } from './server-status';

const record: ServerRecord = {
  name: 'web',
  host: 'web.example',
  port: 22,
  user: 'root',
  auth: { type: 'agent' },
  jump: null,
  dockerSocket: '/var/run/docker.sock',
  hostKey: 'SHA256:trusted',
  createdAt: new Date(0).toISOString(),
};

const never = <T>() => new Promise<T>(() => undefined);

/** A Docker host whose answers the test picks. */
function fakeHost(answers: { version?: () => Promise<unknown>; diskFree?: () => Promise<number> } = {}) {
  return {
    docker: {
      version: answers.version ?? (() => Promise.resolve({ Version: '27.1.0' })),
      info: () => Promise.resolve({ DockerRootDir: '/srv/docker' }),
    },
    diskFree: vi.fn(answers.diskFree ?? (() => Promise.resolve(5_000_000))),
  } as unknown as SshDockerHost & { diskFree: ReturnType<typeof vi.fn> };
}

describe('probeServer', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2024-05-01T12:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('reports an answering server online, with its Docker version and the free disk of its data root', async () => {
    const host = fakeHost();
    expect(await probeServer(record, () => Promise.resolve(host), 3)).toEqual({
      state: 'online',
      dockerVersion: '27.1.0',
      apps: 3,
      checkedAt: '2024-05-01T12:00:00.000Z',
      diskFree: 5_000_000,
    });
    expect(host.diskFree).toHaveBeenCalledWith('/srv/docker');
  });

  it('leaves the free disk out when statvfs fails', async () => {
    const host = fakeHost({ diskFree: () => Promise.reject(new Error('no sftp')) });
    const status = await probeServer(record, () => Promise.resolve(host), 0);
    expect(status.state).toBe('online');
    expect(status).not.toHaveProperty('diskFree');
  });

  it('reports a server that never answers offline once the timeout has passed', async () => {
    const probe = probeServer(record, never, 1);
    let settled = false;
    void probe.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(STATUS_TIMEOUT_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await probe).toEqual({
      state: 'offline',
      reason: 'web.example:22 did not answer within 8 s.',
      apps: 1,
      checkedAt: '2024-05-01T12:00:00.000Z',
    });
  });

  it('reports a connected server whose Docker engine does not answer offline, within the timeout given', async () => {
    const host = fakeHost({ version: never });
    const probe = probeServer(record, () => Promise.resolve(host), 0, 500);
    await vi.advanceTimersByTimeAsync(500);
    expect(await probe).toMatchObject({
      state: 'offline',
      reason: 'The Docker engine on web did not answer within 0.5 s.',
    });
  });

  it('reports a connection failure offline with its reason, even one thrown at once', async () => {
    const refused = new SlipwayError('SSH_AUTH_FAILED', 'All configured authentication methods failed');
    expect(await probeServer(record, () => Promise.reject(refused), 0)).toMatchObject({
      state: 'offline',
      reason: refused.message,
    });
    const thrown = () => {
      throw new SlipwayError('SERVER_NOT_FOUND', 'There is no server named web.');
    };
    expect(await probeServer(record, thrown, 0)).toMatchObject({
      state: 'offline',
      reason: 'There is no server named web.',
    });
  });

  it('reports a key not trusted yet as untrusted, with the presented fingerprint', async () => {
    const untrusted = new SlipwayError('HOST_KEY_UNTRUSTED', 'not trusted yet', { presented: 'SHA256:new' });
    expect(await probeServer(record, () => Promise.reject(untrusted), 2)).toEqual({
      state: 'untrusted',
      reason: 'not trusted yet',
      presentedFingerprint: 'SHA256:new',
      apps: 2,
      checkedAt: '2024-05-01T12:00:00.000Z',
    });
  });

  it('reports a changed key offline (no fingerprint to trust from there)', async () => {
    const mismatch = new SlipwayError('HOST_KEY_MISMATCH', 'changed', { expected: 'SHA256:a', presented: 'SHA256:b' });
    expect(await probeServer(record, () => Promise.reject(mismatch), 0)).toMatchObject({ state: 'offline' });
  });
});

describe('serverSummary', () => {
  it('says "not checked yet" before the first check, with the apps counted now', () => {
    expect(serverSummary(record, undefined, 4)).toEqual({
      name: 'web',
      kind: 'ssh',
      host: 'web.example',
      port: 22,
      user: 'root',
      auth: 'agent',
      jump: null,
      dockerSocket: '/var/run/docker.sock',
      hostKey: 'SHA256:trusted',
      status: { state: 'offline', reason: 'not checked yet', checkedAt: new Date(0).toISOString(), apps: 4 },
    });
  });

  it('counts the apps now rather than at the last check', () => {
    const status = { state: 'online' as const, apps: 1, checkedAt: '2024-05-01T12:00:00.000Z' };
    expect(serverSummary(record, status, 7).status).toEqual({ ...status, apps: 7 });
  });
});

describe('localServerSummary', () => {
  const local = (version: () => Promise<unknown>) =>
    ({ endpoint: 'unix:///var/run/docker.sock', docker: { version } }) as never;

  it('reports the local engine online with its version', async () => {
    const summary = await localServerSummary(
      local(() => Promise.resolve({ Version: '28.0.0' })),
      () => 2,
    );
    expect(summary).toMatchObject({
      name: 'local',
      kind: 'local',
      auth: 'local',
      host: 'unix:///var/run/docker.sock',
      status: { state: 'online', dockerVersion: '28.0.0', apps: 2 },
    });
  });

  it('reports the local engine offline when it does not answer in time', async () => {
    const summary = await localServerSummary(local(never), () => 0, 20);
    expect(summary.status).toMatchObject({
      state: 'offline',
      reason: 'The local Docker engine did not answer within 0.02 s.',
    });
  });
});
