import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ServerEvent, ServerSummary } from '../../shared/domains/servers';
import type { ServersClient } from '../client';
import { createLiveCollection, keepNewer, type LiveLoad } from './live-collection';

export type ServersLoad = LiveLoad;

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

const byName = (server: ServerSummary) => server.name;

/**
 * The user's servers, fed by the engine's `servers.events` stream: status
 * changes (a connection lost, a reconnect, a host key waiting) arrive as
 * events; the whole list is asked for on start and when the user refreshes.
 */
export function createServersStore(client: ServersClient): StoreApi<ServersState> {
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

    const collection = createLiveCollection({
      // Subscribed first matters here: the list connects to every server, so it is slow and changes happen meanwhile.
      subscribe: (listener: (event: ServerEvent) => void) => client.servers.events({}, listener),
      list: () => client.servers.list({}),
      onEvent,
      onList: (servers) => set({ servers: keepNewer(servers, get().servers, byName, newer) }),
      onStatus: set,
    });

    return {
      load: { state: 'loading' },
      servers: {},
      live: false,
      start: collection.start,
      refresh: collection.refresh,
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
