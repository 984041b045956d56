import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ServerEvent, ServerSummary } from '../../shared/domains/servers';
import type { Unsubscribe } from '../../shared/rpc/transport';
import type { ServersClient } from '../client';
import { describeError, type ShownError } from '../lib/errors';

export type ServersLoad = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; error: ShownError };

export interface ServersState {
  load: ServersLoad;
  /** Every server by name, `local` among them, as the engine last said. */
  servers: Record<string, ServerSummary>;
  /** True while the engine's server event stream is open. */
  live: boolean;
  /** Subscribes to server events and lists the servers; returns the function that stops. */
  start(): () => void;
  /** Asks the engine to check every server again now (they are checked concurrently). */
  refresh(): Promise<void>;
  /** Takes an answer that carries a server (add, trust, test) without waiting for its event. */
  put(server: ServerSummary): void;
  /** Forgets a server the engine removed. */
  forget(name: string): void;
}

/** The later of two reports on one server: a status checked earlier never replaces a newer one. */
function newer(next: ServerSummary, current: ServerSummary | undefined): boolean {
  return !current || next.status.checkedAt >= current.status.checkedAt;
}

/**
 * The user's servers, fed by the engine's `servers.events` stream: status
 * changes (a connection lost, a reconnect, a host key waiting) arrive as
 * events; the whole list is asked for on start and when the user refreshes.
 */
export function createServersStore(client: ServersClient): StoreApi<ServersState> {
  let running = false;
  let generation = 0;
  let unsubscribe: Unsubscribe | undefined;

  return createStore<ServersState>()((set, get) => {
    function put(server: ServerSummary): void {
      if (!newer(server, get().servers[server.name])) return;
      set({ servers: { ...get().servers, [server.name]: server } });
    }

    function forget(name: string): void {
      const servers = { ...get().servers };
      delete servers[name];
      set({ servers });
    }

    function onEvent(event: ServerEvent): void {
      if (event.type === 'status') put(event.server);
      else if (event.type === 'removed') forget(event.name);
      // `host-key` is followed by the server's `untrusted` status, which is what the page shows.
    }

    async function list(run: number): Promise<void> {
      const servers = await client.servers.list({});
      if (run !== generation) return;
      const known = get().servers;
      // Kept: reports that arrived while the list was taken and are newer than its answer.
      const merged = Object.fromEntries(
        servers.map((server) => {
          const current = known[server.name];
          return [server.name, newer(server, current) ? server : current!];
        }),
      );
      set({ servers: merged, load: { state: 'ready' } });
    }

    async function open(): Promise<void> {
      const run = generation;
      set({ load: { state: 'loading' } });
      try {
        // Subscribed first, so a change during the (slow: it connects) list is not missed.
        const stop = await client.servers.events({}, (event) => {
          if (run === generation) onEvent(event);
        });
        if (run !== generation) {
          stop();
          return;
        }
        unsubscribe = stop;
        set({ live: true });
        await list(run);
      } catch (err) {
        if (run !== generation) return;
        // Stopped, so that start() tries again from scratch.
        running = false;
        generation += 1;
        unsubscribe?.();
        unsubscribe = undefined;
        set({ load: { state: 'failed', error: describeError(err) }, live: false });
      }
    }

    return {
      load: { state: 'loading' },
      servers: {},
      live: false,
      start() {
        if (!running) {
          running = true;
          void open();
        }
        return () => {
          if (!running) return;
          running = false;
          generation += 1;
          unsubscribe?.();
          unsubscribe = undefined;
          set({ live: false });
        };
      },
      async refresh() {
        if (!running) return;
        await list(generation);
      },
      put,
      forget,
    };
  });
}

/** Servers as listed: this machine first, then by name. */
export function sortedServers(servers: Record<string, ServerSummary>): ServerSummary[] {
  return Object.values(servers).sort((a, b) =>
    a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'local' ? -1 : 1,
  );
}
