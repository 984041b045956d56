import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContainerEvent, SystemInfo } from '../../shared/domains/system';
import { SlipwayError } from '../../shared/errors';
import { createSystemStore, MAX_EVENTS, type SystemClient, type Visibility } from './system-store';

const INFO: SystemInfo = {
  slipwayVersion: '0.1.0',
  docker: {
    endpoint: 'unix:///var/run/docker.sock',
    version: '20.10.24',
    apiVersion: '1.41',
    os: 'linux',
    arch: 'amd64',
  },
};

function event(action: string, n = 0): ContainerEvent {
  return { action, containerId: `id${n}`, containerName: `c${n}`, image: 'busybox:stable', time: 1_700_000_000 + n };
}

/** A client whose answers the test controls, counting what the store asks of it. */
function fakeClient() {
  let emit: ((event: ContainerEvent) => void) | undefined;
  const state = {
    info: vi.fn(async (): Promise<SystemInfo> => INFO),
    unsubscribe: vi.fn(),
    subscribe: vi.fn(async (_params: { managedOnly?: boolean }, onEvent: (event: ContainerEvent) => void) => {
      emit = onEvent;
      return state.unsubscribe;
    }),
    emit: (e: ContainerEvent) => emit?.(e),
  };
  const client = { system: { info: state.info, containerEvents: state.subscribe } } as unknown as SystemClient;
  return { client, ...state };
}

function fakeVisibility(visible = true) {
  const listeners = new Set<() => void>();
  const visibility: Visibility & { set(value: boolean): void } = {
    isVisible: () => visible,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(value) {
      visible = value;
      for (const listener of listeners) listener();
    },
  };
  return visibility;
}

/** Lets pending promise callbacks run without moving the fake clock. */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('system store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks on start, then every 5 s while visible, and not while hidden', async () => {
    const fake = fakeClient();
    const visibility = fakeVisibility(true);
    const store = createSystemStore(fake.client, { visibility });
    expect(store.getState().status).toEqual({ state: 'loading' });

    const stop = store.getState().start();
    await settle();
    expect(store.getState().status).toMatchObject({ state: 'online', info: INFO });
    expect(fake.info).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.info).toHaveBeenCalledTimes(3);

    visibility.set(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fake.info).toHaveBeenCalledTimes(3);

    visibility.set(true);
    await settle();
    expect(fake.info).toHaveBeenCalledTimes(4);

    stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fake.info).toHaveBeenCalledTimes(4);
  });

  it('lists events newest first, keeps the latest few, and asks again after events', async () => {
    const fake = fakeClient();
    const store = createSystemStore(fake.client, { visibility: fakeVisibility() });
    store.getState().start();
    await settle();
    expect(fake.subscribe).toHaveBeenCalledTimes(1);
    expect(store.getState().eventsLive).toBe(true);
    const asked = fake.info.mock.calls.length;

    for (let n = 0; n < MAX_EVENTS + 5; n++) fake.emit(event('start', n));
    await settle();
    const events = store.getState().events;
    expect(events).toHaveLength(MAX_EVENTS);
    expect(events[0]).toMatchObject({ containerName: `c${MAX_EVENTS + 4}` });
    expect(new Set(events.map((e) => e.seq)).size).toBe(MAX_EVENTS);
    // A burst is coalesced: the request in flight, plus one more.
    expect(fake.info.mock.calls.length - asked).toBe(2);
  });

  it('reports an unreachable engine by its code, and subscribes afresh once it answers again', async () => {
    const fake = fakeClient();
    const store = createSystemStore(fake.client, { visibility: fakeVisibility() });
    store.getState().start();
    await settle();
    expect(fake.subscribe).toHaveBeenCalledTimes(1);

    fake.info.mockRejectedValueOnce(new SlipwayError('DOCKER_UNREACHABLE', 'Docker is not answering.'));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(store.getState().status).toMatchObject({
      state: 'unreachable',
      code: 'DOCKER_UNREACHABLE',
      message: 'Docker is not answering.',
    });
    expect(fake.unsubscribe).toHaveBeenCalledTimes(1);
    expect(store.getState().eventsLive).toBe(false);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(store.getState().status.state).toBe('online');
    expect(fake.subscribe).toHaveBeenCalledTimes(2);
    expect(store.getState().eventsLive).toBe(true);
  });

  it('hides the detail of errors Slipway did not raise on purpose', async () => {
    const fake = fakeClient();
    fake.info.mockRejectedValue(new Error('/home/someone/secret path'));
    const store = createSystemStore(fake.client, { visibility: fakeVisibility() });
    store.getState().start();
    await settle();
    const status = store.getState().status;
    expect(status).toMatchObject({ state: 'unreachable', code: 'INTERNAL' });
    expect(JSON.stringify(status)).not.toContain('secret');
  });

  it('survives a stop and restart in quick succession (React StrictMode) with one live subscription', async () => {
    const fake = fakeClient();
    const store = createSystemStore(fake.client, { visibility: fakeVisibility() });
    store.getState().start()();
    store.getState().start();
    await settle();
    expect(store.getState().status.state).toBe('online');
    expect(store.getState().eventsLive).toBe(true);
    expect(fake.subscribe.mock.calls.length - fake.unsubscribe.mock.calls.length).toBe(1);
  });
});
