import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SlipwayContract } from '../../shared/contract';
import type { ContainerEvent, SystemInfo } from '../../shared/domains/system';
import { SlipwayError, type ErrorCode } from '../../shared/errors';
import type { Client } from '../../shared/rpc/client';
import type { Unsubscribe } from '../../shared/rpc/transport';

export type EngineStatus =
  | { state: 'loading' }
  | { state: 'online'; info: SystemInfo; checkedAt: number }
  | { state: 'unreachable'; code: ErrorCode; message: string; checkedAt: number };

/** A container event as listed: `seq` is a stable React key, since Docker can repeat an action in the same second. */
export interface ListedEvent extends ContainerEvent {
  seq: number;
}

export interface SystemState {
  status: EngineStatus;
  /** Newest first, at most {@link MAX_EVENTS}. */
  events: ListedEvent[];
  /** True while the container-event subscription is open. */
  eventsLive: boolean;
  /** Asks the engine again now; concurrent calls share one request (plus one follow-up). */
  refresh(): Promise<void>;
  /** Starts polling and the event subscription; returns the function that stops both. */
  start(): () => void;
}

export const MAX_EVENTS = 20;
export const POLL_INTERVAL_MS = 5_000;

/** Whether the page is on screen, and news of when that changes. */
export interface Visibility {
  isVisible(): boolean;
  onChange(listener: () => void): () => void;
}

export interface SystemStoreOptions {
  pollIntervalMs?: number;
  visibility?: Visibility;
  now?: () => number;
}

export type SystemClient = Pick<Client<SlipwayContract>, 'system'>;

function documentVisibility(): Visibility {
  return {
    isVisible: () => document.visibilityState === 'visible',
    onChange(listener) {
      document.addEventListener('visibilitychange', listener);
      return () => document.removeEventListener('visibilitychange', listener);
    },
  };
}

function describeFailure(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof SlipwayError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: 'Slipway hit an unexpected error while asking the engine.' };
}

/**
 * The local engine's status. It is asked on start, every few seconds while the
 * page is visible (a hidden window has nobody to show it to), and right after
 * any container event, since those are when the picture changes.
 */
export function createSystemStore(client: SystemClient, options: SystemStoreOptions = {}): StoreApi<SystemState> {
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const now = options.now ?? Date.now;

  let running = false;
  // Bumped on stop, so answers that arrive for an earlier run are dropped.
  let generation = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopWatchingVisibility: (() => void) | undefined;
  let unsubscribe: Unsubscribe | undefined;
  let subscribing = false;
  let inFlight: Promise<void> | undefined;
  let refreshAgain = false;
  let nextSeq = 1;

  const store = createStore<SystemState>()((set, get) => {
    function dropSubscription(): void {
      unsubscribe?.();
      unsubscribe = undefined;
      if (get().eventsLive) set({ eventsLive: false });
    }

    async function subscribe(): Promise<void> {
      if (!running || unsubscribe || subscribing) return;
      subscribing = true;
      const run = generation;
      try {
        const stop = await client.system.containerEvents({ managedOnly: false }, (event) => {
          if (run !== generation) return;
          const listed: ListedEvent = { ...event, seq: nextSeq++ };
          set({ events: [listed, ...get().events].slice(0, MAX_EVENTS) });
          void refresh();
        });
        subscribing = false;
        if (run !== generation) {
          // Opened for a run that has since stopped; a restarted store wants its own.
          stop();
          void subscribe();
          return;
        }
        unsubscribe = stop;
        set({ eventsLive: true });
      } catch {
        // The next successful refresh subscribes again.
        subscribing = false;
      }
    }

    async function checkOnce(): Promise<void> {
      const run = generation;
      let status: EngineStatus;
      try {
        const info = await client.system.info({});
        status = { state: 'online', info, checkedAt: now() };
      } catch (err) {
        status = { state: 'unreachable', ...describeFailure(err), checkedAt: now() };
      }
      if (run !== generation) return;
      set({ status });
      if (status.state === 'online') {
        void subscribe();
      } else {
        // The engine's event stream ended with the engine; a fresh one is opened once it answers again.
        dropSubscription();
      }
    }

    function refresh(): Promise<void> {
      if (inFlight) {
        // Events come in bursts (create, start, die, destroy): coalesce them into one more request.
        refreshAgain = true;
        return inFlight;
      }
      inFlight = (async () => {
        do {
          refreshAgain = false;
          await checkOnce();
        } while (refreshAgain);
      })().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    }

    function stopPolling(): void {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    }

    function startPolling(): void {
      stopPolling();
      timer = setInterval(() => void refresh(), pollIntervalMs);
    }

    function start(): () => void {
      if (running) return stop;
      running = true;
      const visibility = options.visibility ?? documentVisibility();
      stopWatchingVisibility = visibility.onChange(() => {
        if (!running) return;
        if (visibility.isVisible()) {
          void refresh();
          startPolling();
        } else {
          stopPolling();
        }
      });
      void refresh();
      if (visibility.isVisible()) startPolling();
      return stop;
    }

    function stop(): void {
      if (!running) return;
      running = false;
      generation += 1;
      stopPolling();
      stopWatchingVisibility?.();
      stopWatchingVisibility = undefined;
      dropSubscription();
      refreshAgain = false;
    }

    return {
      status: { state: 'loading' },
      events: [],
      eventsLive: false,
      refresh,
      start,
    };
  });
  return store;
}
