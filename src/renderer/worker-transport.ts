import { SlipwayError } from '../shared/errors';
import { fail, type Envelope } from '../shared/rpc/envelope';
import type { Transport, Unsubscribe } from '../shared/rpc/transport';

/**
 * The engine's socket, decoded off the UI thread. A build that floods its log
 * arrives from the engine in batches of a hundred thousand lines and more
 * (megabytes of JSON each); parsed on the page's main thread, one such
 * message stalls clicks for hundreds of milliseconds. A dedicated worker owns
 * the socket and parses its messages, and hands the page structured clones.
 *
 * A stream whose consumer only ever shows the latest items (the log view keeps
 * a bounded scrollback) can be followed "bounded": the worker then keeps at
 * most `keep` items waiting, hands them over a slice at a time, the next
 * slice only once the page has taken the previous one (at its next animation
 * frame), and says how many it dropped. The page never decodes lines it
 * could not show.
 */

/** Items per slice of a bounded stream. */
export const SLICE = 2_000;

export type ToWorker =
  | { t: 'connect'; url: string }
  | { t: 'call'; id: number; name: string; request: unknown }
  | { t: 'sub'; id: number; name: string; params: unknown; keep?: number }
  | { t: 'ack'; id: number }
  | { t: 'unsub'; id: number };

export type FromWorker =
  { t: 'result'; id: number; result: Envelope<unknown> } | { t: 'event'; id: number; event: unknown; dropped?: number };

/** The part of a Worker (or a MessagePort) the page side uses. */
export interface WorkerPort {
  postMessage(message: ToWorker): void;
  addEventListener(type: 'message', listener: (event: { data: FromWorker }) => void): void;
  /** A worker that fails (its script did not load, it threw) says so here. */
  addEventListener(type: 'error', listener: () => void): void;
}

/** Follows a stream of arrays, of which only the latest `keep` items matter; `dropped` counts older ones skipped. */
export type FollowBounded = (
  name: string,
  params: unknown,
  keep: number,
  onItems: (items: unknown[], dropped: number) => void,
) => Promise<Envelope<Unsubscribe>>;

export interface WorkerTransport extends Transport {
  followBounded: FollowBounded;
}

/** When the page takes the next slice: at its next frame, so a busy or hidden page asks for less. */
export type NextFrame = (callback: () => void) => void;

const browserFrame: NextFrame = (callback) => requestAnimationFrame(() => callback());

/** The page's side: a Transport whose calls and subscriptions go through the worker. */
export function workerTransport(port: WorkerPort, url: string, nextFrame: NextFrame = browserFrame): WorkerTransport {
  let nextId = 1;
  const pending = new Map<number, (result: Envelope<unknown>) => void>();
  const listeners = new Map<number, (event: unknown, dropped: number) => void>();
  const bounded = new Set<number>();
  let failed = false;
  const failure = () =>
    fail(new SlipwayError('TRANSPORT_CLOSED', 'The connection to the Slipway engine stopped working.').toPayload());

  // A worker that dies answers nothing more: every waiting request is told so, like a closed socket.
  port.addEventListener('error', () => {
    failed = true;
    for (const settle of pending.values()) settle(failure());
    pending.clear();
    listeners.clear();
  });

  port.addEventListener('message', ({ data }) => {
    if (data.t === 'result') {
      pending.get(data.id)?.(data.result);
      pending.delete(data.id);
      return;
    }
    const listener = listeners.get(data.id);
    if (!listener) return;
    listener(data.event, data.dropped ?? 0);
    if (bounded.has(data.id)) nextFrame(() => listeners.has(data.id) && port.postMessage({ t: 'ack', id: data.id }));
  });
  port.postMessage({ t: 'connect', url });

  const request = (message: ToWorker & { id: number }) =>
    new Promise<Envelope<unknown>>((resolve) => {
      if (failed) return resolve(failure());
      pending.set(message.id, resolve);
      port.postMessage(message);
    });

  const subscribe = async (
    name: string,
    params: unknown,
    onEvent: (event: unknown, dropped: number) => void,
    keep?: number,
  ): Promise<Envelope<Unsubscribe>> => {
    const id = nextId++;
    // Registered before asking: the first events may come before the answer.
    listeners.set(id, onEvent);
    if (keep !== undefined) bounded.add(id);
    const result = await request({ t: 'sub', id, name, params, ...(keep !== undefined ? { keep } : {}) });
    if (!result.ok) {
      listeners.delete(id);
      bounded.delete(id);
      return result;
    }
    const unsubscribe: Unsubscribe = () => {
      bounded.delete(id);
      if (listeners.delete(id)) port.postMessage({ t: 'unsub', id });
    };
    return { ok: true, data: unsubscribe };
  };

  return {
    call: (name, req) => request({ t: 'call', id: nextId++, name, request: req }),
    subscribe: (name, params, onEvent) => subscribe(name, params, (event) => onEvent(event)),
    followBounded: (name, params, keep, onItems) =>
      subscribe(name, params, (event, dropped) => onItems(event as unknown[], dropped), keep),
  };
}

/** The worker's side of one page: what it posts back. */
export interface WorkerScope {
  postMessage(message: FromWorker): void;
}

/** A bounded subscription's queue in the worker. */
class BoundedQueue {
  private chunks: unknown[][] = [];
  private count = 0;
  private dropped = 0;
  private waitingForAck = false;

  constructor(
    private readonly keep: number,
    private readonly send: (items: unknown[], dropped: number) => void,
  ) {}

  add(items: unknown[]): void {
    this.chunks.push(items);
    this.count += items.length;
    while (this.count > this.keep) {
      const first = this.chunks[0]!;
      const excess = this.count - this.keep;
      if (excess >= first.length) {
        this.chunks.shift();
        this.count -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.count -= excess;
        this.dropped += excess;
      }
    }
    if (!this.waitingForAck) this.next();
  }

  ack(): void {
    this.waitingForAck = false;
    if (this.count > 0 || this.dropped > 0) this.next();
  }

  private next(): void {
    const slice: unknown[] = [];
    while (slice.length < SLICE && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const take = Math.min(first.length, SLICE - slice.length);
      for (let i = 0; i < take; i++) slice.push(first[i]);
      if (take === first.length) this.chunks.shift();
      else this.chunks[0] = first.slice(take);
    }
    if (slice.length === 0 && this.dropped === 0) return;
    this.count -= slice.length;
    const dropped = this.dropped;
    this.dropped = 0;
    this.waitingForAck = true;
    this.send(slice, dropped);
  }
}

/**
 * Serves a page's requests on a transport that lives in the worker; `connect`
 * opens it (the page sends the socket's address, token included, in its
 * first message, so it never appears in a script URL).
 */
export function serveWorkerTransport(scope: WorkerScope, open: (url: string) => Transport) {
  let transport: Transport | null = null;
  const subscriptions = new Map<number, Unsubscribe>();
  const queues = new Map<number, BoundedQueue>();
  const unsubscribed = new Set<number>();

  return async (message: ToWorker): Promise<void> => {
    if (message.t === 'connect') {
      transport ??= open(message.url);
      return;
    }
    if (message.t === 'ack') {
      queues.get(message.id)?.ack();
      return;
    }
    if (!transport) throw new Error('the worker transport got a request before connect');
    if (message.t === 'call') {
      scope.postMessage({ t: 'result', id: message.id, result: await transport.call(message.name, message.request) });
    } else if (message.t === 'sub') {
      const { id, keep } = message;
      const queue =
        keep === undefined
          ? null
          : new BoundedQueue(keep, (items, dropped) => scope.postMessage({ t: 'event', id, event: items, dropped }));
      if (queue) queues.set(id, queue);
      const result = await transport.subscribe(message.name, message.params, (event) => {
        if (queue && Array.isArray(event)) queue.add(event);
        else scope.postMessage({ t: 'event', id, event });
      });
      if (result.ok) {
        // Unsubscribed while the subscription was being opened: close it at once.
        if (unsubscribed.delete(id)) {
          result.data();
          queues.delete(id);
        } else {
          subscriptions.set(id, result.data);
        }
        scope.postMessage({ t: 'result', id, result: { ok: true, data: null } });
      } else {
        queues.delete(id);
        scope.postMessage({ t: 'result', id, result });
      }
    } else {
      queues.delete(message.id);
      const unsubscribe = subscriptions.get(message.id);
      if (unsubscribe) {
        unsubscribe();
        subscriptions.delete(message.id);
      } else {
        unsubscribed.add(message.id);
      }
    }
  };
}
