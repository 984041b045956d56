import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { AppsState, AppsStore } from './apps-store';
import type { ServersState } from './servers-store';
import type { SystemState } from './system-store';
import type { UiState } from './ui-store';

export interface Stores {
  system: StoreApi<SystemState>;
  apps: AppsStore;
  servers: StoreApi<ServersState>;
  ui: StoreApi<UiState>;
}

export const StoresContext = createContext<Stores | null>(null);

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside <StoresContext.Provider>');
  return stores;
}

export function useApps<T>(selector: (state: AppsState) => T): T {
  return useStore(useStores().apps, selector);
}

export function useServers<T>(selector: (state: ServersState) => T): T {
  return useStore(useStores().servers, selector);
}

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useStores().ui, selector);
}

export function useSystem<T>(selector: (state: SystemState) => T): T {
  return useStore(useStores().system, selector);
}
