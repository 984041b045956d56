import { SlipwayError } from '../../../shared/errors';
import { fail, ok, toErrorPayload, type Envelope } from '../../../shared/rpc/envelope';
import type { Transport, Unsubscribe } from '../../../shared/rpc/transport';
import type { EngineConnection } from './local-socket-client';

export interface EngineRelayOptions {
  /** Opens a connection to the engine (starting it when none runs). */
  connect(): Promise<EngineConnection>;
  /** Told of every connection made after the first, e.g. to log it. */
  onReconnect?(connection: EngineConnection): void;
  /** The waits between attempts to reconnect, in ms; the last repeats. */
  backoffMs?: number[];
}

interface Subscription {
  name: string;
  params: unknown;
  onEvent(event: unknown): void;
  inner: Unsubscribe | null;
}

/**
 * A transport to the engine that outlives any one engine process: a front
 * end that stays open (the window, the browser test host) relays through it.
 * When the connection ends, it connects again (which starts a new engine,
 * which reconciles) and opens its subscriptions again; a call that was in
 * flight then is answered TRANSPORT_CLOSED, never repeated, since it may have
 * taken effect.
 */
export function engineRelay(options: EngineRelayOptions): Transport & { close(): void } {
  const backoff = options.backoffMs ?? [100, 250, 500, 1000, 2000, 5000];
  const subscriptions = new Set<Subscription>();
  let connecting: Promise<EngineConnection> | null = null;
  let live: EngineConnection | null = null;
  let connections = 0;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connection = (): Promise<EngineConnection> => {
    if (closed) return Promise.reject(new SlipwayError('TRANSPORT_CLOSED', 'The relay to the engine is closed.'));
    connecting ??= options.connect().then(
      (c) => {
        live = c;
        if (connections++ > 0) options.onReconnect?.(c);
        void c.closed.then(() => lost(c));
        return c;
      },
      (err: unknown) => {
        connecting = null;
        throw err;
      },
    );
    return connecting;
  };

  const lost = (c: EngineConnection) => {
    if (closed || live !== c) return;
    live = null;
    connecting = null;
    for (const s of subscriptions) s.inner = null;
    if (subscriptions.size > 0) reopen(0);
  };

  const reopen = (attempt: number) => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(
      () => {
        void (async () => {
          try {
            const c = await connection();
            for (const s of subscriptions) if (!s.inner) await open(c, s);
          } catch {
            if (!closed) reopen(attempt + 1);
          }
        })();
      },
      backoff[Math.min(attempt, backoff.length - 1)],
    );
  };

  const open = async (c: EngineConnection, s: Subscription): Promise<Envelope<unknown>> => {
    const result = await c.transport.subscribe(s.name, s.params, (event) => s.onEvent(event));
    if (result.ok) {
      // Unsubscribed while it opened: end it at once.
      if (!subscriptions.has(s)) result.data();
      else s.inner = result.data;
    }
    return result;
  };

  const asEnvelope = (err: unknown): Envelope<never> => fail(toErrorPayload(err));

  return {
    async call(name, request) {
      try {
        return await (await connection()).transport.call(name, request);
      } catch (err) {
        return asEnvelope(err);
      }
    },
    async subscribe(name, params, onEvent) {
      const s: Subscription = { name, params, onEvent, inner: null };
      subscriptions.add(s);
      let result: Envelope<unknown>;
      try {
        result = await open(await connection(), s);
      } catch (err) {
        result = asEnvelope(err);
      }
      if (!result.ok) {
        subscriptions.delete(s);
        return result;
      }
      return ok<Unsubscribe>(() => {
        subscriptions.delete(s);
        s.inner?.();
        s.inner = null;
      });
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      subscriptions.clear();
      void connecting?.then(
        (c) => c.close(),
        () => undefined,
      );
    },
  };
}
