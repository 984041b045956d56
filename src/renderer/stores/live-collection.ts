import type { Unsubscribe } from '../../shared/rpc/transport';
import { describeError, type ShownError } from '../lib/errors';

/** How far a live collection got: its list is on its way, taken, or could not be had. */
export type LiveLoad = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; error: ShownError };

/** The part of a store's state that the lifecycle owns. */
export interface LiveStatus {
  load: LiveLoad;
  /** True while the engine's event stream is open. */
  live: boolean;
}

export interface LiveCollectionSource<Event, Item> {
  /** Opens the engine's event stream; resolves once the engine has it open. */
  subscribe(onEvent: (event: Event) => void): Promise<Unsubscribe>;
  /** Asks the engine for the whole collection. */
  list(): Promise<Item[]>;
  /** Applies one event of the stream that is open now. */
  onEvent(event: Event): void;
  /**
   * Takes the list's answer. The events heard while it was on its way are
   * already applied, so this should keep a held report that is newer (see {@link keepNewer}).
   */
  onList(items: Item[]): void;
  /** Told each time the load or the stream's state changes. */
  onStatus(status: Partial<LiveStatus>): void;
}

export interface LiveCollection {
  /** Subscribes, then lists; returns the function that stops (and unsubscribes). While running, only returns it. */
  start(): () => void;
  /** Lists again while running; a failure is the caller's to show, the stream stays open. */
  refresh(): Promise<void>;
}

/**
 * The lifecycle of a collection the engine keeps and reports changes to: the
 * event stream is opened before the list is asked for, so a change made while
 * the list is on its way reaches the store either in the list or as an event.
 * Answers and events that belong to a run already stopped are dropped.
 */
export function createLiveCollection<Event, Item>(source: LiveCollectionSource<Event, Item>): LiveCollection {
  let running = false;
  // Bumped on every stop, so what arrives for an earlier run is recognised and dropped.
  let generation = 0;
  let unsubscribe: Unsubscribe | undefined;

  function halt(): void {
    running = false;
    generation += 1;
    unsubscribe?.();
    unsubscribe = undefined;
  }

  async function list(run: number): Promise<void> {
    const items = await source.list();
    if (run !== generation) return;
    source.onList(items);
    source.onStatus({ load: { state: 'ready' } });
  }

  async function open(run: number): Promise<void> {
    source.onStatus({ load: { state: 'loading' } });
    try {
      const stop = await source.subscribe((event) => {
        if (run === generation) source.onEvent(event);
      });
      if (run !== generation) {
        stop();
        return;
      }
      unsubscribe = stop;
      source.onStatus({ live: true });
      await list(run);
    } catch (err) {
      if (run !== generation) return;
      // Stopped, so that the next start() tries again from scratch.
      halt();
      source.onStatus({ load: { state: 'failed', error: describeError(err) }, live: false });
    }
  }

  function stop(): void {
    if (!running) return;
    halt();
    source.onStatus({ live: false });
  }

  return {
    start() {
      if (!running) {
        running = true;
        void open(generation);
      }
      return stop;
    },
    async refresh() {
      if (!running) return;
      await list(generation);
    },
  };
}

/**
 * A list's answer by key, except where the report already held is newer: an
 * event heard while the list was on its way may tell of a later state than the
 * list does. `supersedes` says whether `next` is at least as new as `current`,
 * so a tie goes to the list. Items the list does not name are gone.
 */
export function keepNewer<Item>(
  listed: readonly Item[],
  known: Readonly<Record<string, Item>>,
  key: (item: Item) => string,
  supersedes: (next: Item, current: Item) => boolean,
): Record<string, Item> {
  return Object.fromEntries(
    listed.map((item) => {
      const current = known[key(item)];
      return [key(item), current !== undefined && !supersedes(item, current) ? current : item];
    }),
  );
}
