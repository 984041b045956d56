import { describe, expect, it, vi } from 'vitest';
import { SlipwayError } from '../../shared/errors';
import type { Unsubscribe } from '../../shared/rpc/transport';
import { createLiveCollection, keepNewer, type LiveCollectionSource, type LiveStatus } from './live-collection';

interface Item {
  key: string;
  version: number;
  value: string;
}

type Event = { type: 'put'; item: Item } | { type: 'gone'; key: string };

const item = (key: string, version: number, value = `v${version}`): Item => ({ key, version, value });
const supersedes = (next: Item, current: Item) => next.version >= current.version;

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Values in the order they were pushed; `next()` waits for one that has not been pushed yet. */
function queue<T>() {
  const held: T[] = [];
  const waiting: Array<(value: T) => void> = [];
  return {
    push(value: T) {
      const waiter = waiting.shift();
      if (waiter) waiter(value);
      else held.push(value);
    },
    next(): Promise<T> {
      return held.length ? Promise.resolve(held.shift()!) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

interface Stream {
  emit(event: Event): void;
  opened: Deferred<Unsubscribe>;
  unsubscribe: ReturnType<typeof vi.fn>;
}

/** An engine whose stream opens and whose lists answer when the test says, feeding a keyed record. */
function fakeEngine() {
  const items: Record<string, Item> = {};
  const status: LiveStatus = { load: { state: 'loading' }, live: false };
  const watchers: Array<{ test(status: LiveStatus): boolean; resolve(): void }> = [];
  const streams = queue<Stream>();
  const lists = queue<Deferred<Item[]>>();
  const calls: string[] = [];

  const source: LiveCollectionSource<Event, Item> = {
    subscribe(onEvent) {
      calls.push('subscribe');
      const opened = deferred<Unsubscribe>();
      streams.push({ emit: onEvent, opened, unsubscribe: vi.fn() });
      return opened.promise;
    },
    list() {
      calls.push('list');
      const answer = deferred<Item[]>();
      lists.push(answer);
      return answer.promise;
    },
    onEvent(event) {
      if (event.type === 'gone') delete items[event.key];
      else if (!items[event.item.key] || supersedes(event.item, items[event.item.key]!)) {
        items[event.item.key] = event.item;
      }
    },
    onList(listed) {
      const merged = keepNewer(listed, items, (i) => i.key, supersedes);
      for (const key of Object.keys(items)) delete items[key];
      Object.assign(items, merged);
    },
    onStatus(patch) {
      Object.assign(status, patch);
      for (const watcher of [...watchers]) {
        if (watcher.test(status)) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.resolve();
        }
      }
    },
  };

  /** Resolves once the status satisfies `test` (at once when it already does). */
  const reached = (test: (status: LiveStatus) => boolean) =>
    new Promise<void>((resolve) => (test(status) ? resolve() : watchers.push({ test, resolve })));

  /** Opens the next stream and hands it over once the list has been asked for. */
  async function open(): Promise<{ stream: Stream; list: Deferred<Item[]> }> {
    const stream = await streams.next();
    stream.opened.resolve(stream.unsubscribe as Unsubscribe);
    return { stream, list: await lists.next() };
  }

  return { source, items, status, calls, streams, lists, reached, open };
}

describe('live collection', () => {
  it('subscribes before listing, and keeps an event that arrives during the list when it is newer', async () => {
    const engine = fakeEngine();
    const collection = createLiveCollection(engine.source);
    collection.start();
    const { stream, list } = await engine.open();
    expect(engine.calls).toEqual(['subscribe', 'list']);
    expect(engine.status).toEqual({ load: { state: 'loading' }, live: true });

    // While the list is on its way, `a` changes and `c` appears: both are later than what the list says.
    stream.emit({ type: 'put', item: item('a', 2) });
    stream.emit({ type: 'put', item: item('c', 1) });
    stream.emit({ type: 'put', item: item('b', 1, 'older') });
    list.resolve([item('a', 1), item('b', 1, 'listed'), item('c', 1, 'listed')]);
    await engine.reached((s) => s.load.state === 'ready');

    expect(engine.items).toEqual({ a: item('a', 2), b: item('b', 1, 'listed'), c: item('c', 1, 'listed') });
    stream.emit({ type: 'gone', key: 'b' });
    expect(Object.keys(engine.items)).toEqual(['a', 'c']);
  });

  it('unsubscribes on stop and drops what arrives for the stopped run', async () => {
    const engine = fakeEngine();
    const collection = createLiveCollection(engine.source);
    const stop = collection.start();
    const { stream, list } = await engine.open();
    stop();
    expect(stream.unsubscribe).toHaveBeenCalledOnce();
    expect(engine.status.live).toBe(false);

    stream.emit({ type: 'put', item: item('a', 1) });
    list.resolve([item('b', 1)]);
    // Awaited after the collection's own await of the same answer, so its continuation has already run.
    await list.promise;
    expect(engine.items).toEqual({});
    expect(engine.status.load).toEqual({ state: 'loading' });
    stop();
    expect(stream.unsubscribe).toHaveBeenCalledOnce();
  });

  it('closes a stream that opens only after it was stopped', async () => {
    const engine = fakeEngine();
    const stop = createLiveCollection(engine.source).start();
    const stream = await engine.streams.next();
    stop();
    stream.opened.resolve(stream.unsubscribe as Unsubscribe);
    await expect.poll(() => stream.unsubscribe.mock.calls.length).toBe(1);
    expect(engine.calls).toEqual(['subscribe']);
    expect(engine.status.live).toBe(false);
  });

  it('reports a failed subscribe by its code, and subscribes afresh on the next start', async () => {
    const engine = fakeEngine();
    const collection = createLiveCollection(engine.source);
    collection.start();
    (await engine.streams.next()).opened.reject(new SlipwayError('TRANSPORT_CLOSED', 'closed'));
    await engine.reached((s) => s.load.state === 'failed');
    expect(engine.status).toEqual({
      load: { state: 'failed', error: { code: 'TRANSPORT_CLOSED', message: 'closed' } },
      live: false,
    });
    expect(engine.calls).toEqual(['subscribe']);

    collection.start();
    const { list } = await engine.open();
    list.resolve([item('a', 1)]);
    await engine.reached((s) => s.load.state === 'ready');
    expect(engine.status.live).toBe(true);
    expect(engine.calls).toEqual(['subscribe', 'subscribe', 'list']);
  });

  it('reports a failed list by its code and closes the stream it had opened', async () => {
    const engine = fakeEngine();
    const collection = createLiveCollection(engine.source);
    collection.start();
    const { stream, list } = await engine.open();
    list.reject(new SlipwayError('DOCKER_UNREACHABLE', 'no engine'));
    await engine.reached((s) => s.load.state === 'failed');
    expect(engine.status).toMatchObject({ load: { error: { code: 'DOCKER_UNREACHABLE' } }, live: false });
    expect(stream.unsubscribe).toHaveBeenCalledOnce();
    // An event of the failed run's stream, sent before the unsubscribe reached the engine, is dropped.
    stream.emit({ type: 'put', item: item('a', 1) });
    expect(engine.items).toEqual({});
  });

  it('lists again on refresh without replacing a newer report, and leaves failures to the caller', async () => {
    const engine = fakeEngine();
    const collection = createLiveCollection(engine.source);
    collection.start();
    const { stream, list } = await engine.open();
    list.resolve([item('a', 1)]);
    await engine.reached((s) => s.load.state === 'ready');

    const refreshed = collection.refresh();
    const again = await engine.lists.next();
    stream.emit({ type: 'put', item: item('a', 3) });
    again.resolve([item('a', 2), item('b', 1)]);
    await refreshed;
    expect(engine.items).toEqual({ a: item('a', 3), b: item('b', 1) });

    const failing = collection.refresh();
    (await engine.lists.next()).reject(new SlipwayError('TRANSPORT_CLOSED', 'closed'));
    await expect(failing).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
    expect(engine.status).toEqual({ load: { state: 'ready' }, live: true });
    expect(stream.unsubscribe).not.toHaveBeenCalled();
  });

  it('does not list on refresh while stopped', async () => {
    const engine = fakeEngine();
    await createLiveCollection(engine.source).refresh();
    expect(engine.calls).toEqual([]);
  });
});

describe('keepNewer', () => {
  it('takes the list, except a held report that is newer; a tie goes to the list', () => {
    const known = { a: item('a', 2), b: item('b', 1, 'held'), gone: item('gone', 9) };
    const merged = keepNewer([item('a', 1), item('b', 1, 'listed'), item('new', 1)], known, (i) => i.key, supersedes);
    expect(merged).toEqual({ a: item('a', 2), b: item('b', 1, 'listed'), new: item('new', 1) });
  });
});
