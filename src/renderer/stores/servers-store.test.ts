import { describe, expect, it, vi } from 'vitest';
import type { ServerEvent, ServerSummary } from '../../shared/domains/servers';
import { SlipwayError } from '../../shared/errors';
import type { ServersClient } from '../client';
import { createServersStore, sortedServers } from './servers-store';

const server = (
  name: string,
  state: ServerSummary['status']['state'],
  checkedAt: string,
  kind: ServerSummary['kind'] = 'ssh',
): ServerSummary => ({
  name,
  kind,
  host: '127.0.0.1',
  port: 22,
  user: 'root',
  auth: kind === 'local' ? 'local' : 'agent',
  jump: null,
  dockerSocket: '/var/run/docker.sock',
  hostKey: null,
  status: { state, apps: 0, checkedAt },
});

function fakeClient() {
  let emit: (event: ServerEvent) => void = () => undefined;
  const answers: Array<(value: ServerSummary[]) => void> = [];
  const client = {
    servers: {
      events: vi.fn(async (_params: object, onEvent: (event: ServerEvent) => void) => {
        emit = onEvent;
        return () => undefined;
      }),
      list: vi.fn(() => new Promise<ServerSummary[]>((resolve) => answers.push(resolve))),
    },
  } as unknown as ServersClient;
  return { client, emit: (e: ServerEvent) => emit(e), answerList: (list: ServerSummary[]) => answers.shift()!(list) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('servers store', () => {
  it('subscribes before listing, and keeps a status reported during the list when it is newer', async () => {
    const fake = fakeClient();
    const store = createServersStore(fake.client);
    store.getState().start();
    await settle();
    expect(fake.client.servers.events).toHaveBeenCalledBefore(fake.client.servers.list as never);
    // While the list connects, `one` drops its connection: that news is newer than the list's answer.
    fake.emit({ type: 'status', server: server('one', 'offline', '2026-01-01T00:00:05.000Z') });
    fake.answerList([
      server('local', 'online', '2026-01-01T00:00:03.000Z', 'local'),
      server('one', 'online', '2026-01-01T00:00:03.000Z'),
      server('two', 'untrusted', '2026-01-01T00:00:03.000Z'),
    ]);
    await settle();
    const state = store.getState();
    expect(state.load).toEqual({ state: 'ready' });
    expect(state.live).toBe(true);
    expect(state.servers.one?.status.state).toBe('offline');
    expect(state.servers.two?.status.state).toBe('untrusted');
    expect(sortedServers(state.servers).map((s) => s.name)).toEqual(['local', 'one', 'two']);
  });

  it('follows status and removal events, ignoring a report older than the one it has', async () => {
    const fake = fakeClient();
    const store = createServersStore(fake.client);
    store.getState().start();
    await settle();
    fake.answerList([server('one', 'online', '2026-01-01T00:00:03.000Z')]);
    await settle();
    fake.emit({ type: 'status', server: server('one', 'offline', '2026-01-01T00:00:02.000Z') });
    expect(store.getState().servers.one?.status.state).toBe('online');
    fake.emit({ type: 'status', server: server('one', 'offline', '2026-01-01T00:00:04.000Z') });
    expect(store.getState().servers.one?.status.state).toBe('offline');
    fake.emit({ type: 'host-key', name: 'one', fingerprint: `SHA256:${'a'.repeat(43)}` });
    expect(store.getState().servers.one?.status.state).toBe('offline');
    fake.emit({ type: 'removed', name: 'one' });
    expect(store.getState().servers).toEqual({});
  });

  it('says why it could not list, and starts from scratch when asked again', async () => {
    const fake = fakeClient();
    (fake.client.servers.list as ReturnType<typeof vi.fn>).mockRejectedValueOnce(
      new SlipwayError('DOCKER_UNREACHABLE', 'no engine'),
    );
    const store = createServersStore(fake.client);
    store.getState().start();
    await settle();
    expect(store.getState().load).toMatchObject({ state: 'failed', error: { code: 'DOCKER_UNREACHABLE' } });
    expect(store.getState().live).toBe(false);
    store.getState().start();
    await settle();
    fake.answerList([server('one', 'online', '2026-01-01T00:00:03.000Z')]);
    await settle();
    expect(store.getState().load).toEqual({ state: 'ready' });
    expect(fake.client.servers.events).toHaveBeenCalledTimes(2);
  });

  it('drops events after it is stopped', async () => {
    const fake = fakeClient();
    const store = createServersStore(fake.client);
    const stop = store.getState().start();
    await settle();
    fake.answerList([]);
    await settle();
    stop();
    fake.emit({ type: 'status', server: server('one', 'online', '2026-01-01T00:00:04.000Z') });
    expect(store.getState().servers).toEqual({});
    expect(store.getState().live).toBe(false);
  });
});
