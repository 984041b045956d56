import { describe, expect, it, vi } from 'vitest';
import { ok, type Envelope } from '../shared/rpc/envelope';
import type { Transport } from '../shared/rpc/transport';
import {
  serveWorkerTransport,
  SLICE,
  workerTransport,
  type FromWorker,
  type ToWorker,
  type WorkerPort,
} from './worker-transport';

/** A page and a worker joined by asynchronous message passing, with an engine-side transport the test drives. */
function pair() {
  const emitters = new Map<string, (event: unknown) => void>();
  const unsubscribed: string[] = [];
  const inner: Transport = {
    call: async (name, request) => ok({ name, request }),
    subscribe: async (name, _params, onEvent) => {
      emitters.set(name, onEvent);
      return ok(() => unsubscribed.push(name));
    },
  };
  const toPage = new Set<(event: { data: FromWorker }) => void>();
  const errorListeners = new Set<() => void>();
  const serve = serveWorkerTransport(
    { postMessage: (message) => queueMicrotask(() => toPage.forEach((l) => l({ data: structuredClone(message) }))) },
    () => inner,
  );
  const port: WorkerPort = {
    postMessage: (message: ToWorker) => queueMicrotask(() => void serve(structuredClone(message))),
    addEventListener: ((type: 'message' | 'error', listener: never) => {
      if (type === 'message') toPage.add(listener);
      else errorListeners.add(listener);
    }) as WorkerPort['addEventListener'],
  };
  const frames: Array<() => void> = [];
  const transport = workerTransport(port, 'ws://127.0.0.1/rpc?token=t', (callback) => frames.push(callback));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const runFrames = async () => {
    for (const frame of frames.splice(0)) frame();
    await settle();
  };
  return { transport, emitters, unsubscribed, settle, runFrames, fail: () => errorListeners.forEach((l) => l()) };
}

describe('worker transport', () => {
  it('carries calls to the worker and their answers back', async () => {
    const { transport } = pair();
    expect(await transport.call('apps.list', {})).toEqual({ ok: true, data: { name: 'apps.list', request: {} } });
  });

  it('delivers events of a plain subscription whole, and unsubscribes in the worker', async () => {
    const { transport, emitters, unsubscribed, settle } = pair();
    const events: unknown[] = [];
    const result = await transport.subscribe('apps.events', {}, (e) => events.push(e));
    expect(result.ok).toBe(true);
    emitters.get('apps.events')!(Array.from({ length: SLICE * 2 }, (_, i) => i));
    await settle();
    expect(events).toHaveLength(1);
    (result as Extract<Envelope<() => void>, { ok: true }>).data();
    await settle();
    expect(unsubscribed).toEqual(['apps.events']);
  });

  it('hands a bounded stream over in slices, one per frame, keeping only the latest items', async () => {
    const { transport, emitters, settle, runFrames } = pair();
    const got: Array<{ count: number; first: number; dropped: number }> = [];
    const result = await transport.followBounded('apps.followLogs', {}, 5_000, (items, dropped) =>
      got.push({ count: items.length, first: items[0] as number, dropped }),
    );
    expect(result.ok).toBe(true);
    const emit = emitters.get('apps.followLogs')!;
    emit(Array.from({ length: 120_000 }, (_, i) => i));
    await settle();
    // One slice, then nothing more until the page's next frame.
    expect(got).toEqual([{ count: SLICE, first: 115_000, dropped: 115_000 }]);
    emit([120_000]);
    await settle();
    expect(got).toHaveLength(1);
    await runFrames();
    await runFrames();
    await runFrames();
    expect(got.slice(1).map((g) => g.count)).toEqual([SLICE, 5_000 - 2 * SLICE + 1]);
    const all = got.reduce((sum, g) => sum + g.count + g.dropped, 0);
    expect(all).toBe(120_001);
  });

  it('answers every waiting request when the worker fails', async () => {
    const { transport, fail } = pair();
    fail();
    const answer = await transport.call('apps.list', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'TRANSPORT_CLOSED' } });
  });

  it('closes a subscription dropped while it was being opened', async () => {
    const subscribe = vi.fn(async () => ok(() => closed.push('x')));
    const closed: string[] = [];
    const posted: FromWorker[] = [];
    const serve = serveWorkerTransport({ postMessage: (m) => posted.push(m) }, () => ({ call: vi.fn(), subscribe }));
    await serve({ t: 'connect', url: 'ws://x' });
    const opening = serve({ t: 'sub', id: 1, name: 'apps.events', params: {} });
    await serve({ t: 'unsub', id: 1 });
    await opening;
    expect(closed).toEqual(['x']);
  });
});
