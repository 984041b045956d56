import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LogType } from '../../shared/deployment';
import type { PageId } from '../navigation';

export type DetailTab = 'overview' | 'activity' | 'logs' | 'settings';

export const DETAIL_TABS: ReadonlyArray<{ id: DetailTab; title: string }> = [
  { id: 'overview', title: 'Overview' },
  { id: 'activity', title: 'Activity' },
  { id: 'logs', title: 'Logs' },
  { id: 'settings', title: 'Settings' },
];

export type Route =
  | { page: 'apps' }
  | {
      page: 'app';
      app: string;
      tab: DetailTab;
      /** Activity: the deployment opened; Logs: the deployment whose logs are shown (default: the latest). */
      deployment?: string;
      logType?: LogType;
      /** Logs: one component's lines only. */
      component?: string;
    }
  | { page: 'servers' }
  | { page: 'settings' };

/** Every action that asks first, as the dialog that asks. */
export type DialogKind =
  | 'deploy'
  | 'rebuild'
  | 'restart'
  | 'rollback'
  | 'commit-rollback'
  | 'revert-rollback'
  | 'cancel'
  | 'kill'
  | 'queue'
  | 'clear'
  | 'delete';

/** Dialogs about a server: trust its host key, remove it. */
export type ServerDialogKind = 'trust-server' | 'remove-server';

export type DialogRequest =
  | { kind: DialogKind; app: string; deployment?: string }
  | { kind: 'new-app' }
  | { kind: 'add-server' }
  | { kind: ServerDialogKind; server: string };

export interface Toast {
  id: number;
  tone: 'info' | 'ok' | 'danger';
  text: string;
  action?: { label: string; route: Route };
}

export interface UiState {
  route: Route;
  dialog: DialogRequest | null;
  toasts: Toast[];
  navigate(route: Route): void;
  openDialog(dialog: DialogRequest): void;
  closeDialog(): void;
  toast(toast: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
}

export const TOAST_MS = 6000;

/** The page shown, the dialog open and the toasts: the window's own state, never the engine's. */
export function createUiStore(): StoreApi<UiState> {
  let nextToast = 1;
  return createStore<UiState>()((set, get) => ({
    route: { page: 'apps' },
    dialog: null,
    toasts: [],
    navigate: (route) => set({ route }),
    openDialog: (dialog) => set({ dialog }),
    closeDialog: () => set({ dialog: null }),
    toast(toast) {
      const id = nextToast++;
      set({ toasts: [...get().toasts.slice(-3), { ...toast, id }] });
      setTimeout(() => get().dismissToast(id), toast.tone === 'danger' ? TOAST_MS * 2 : TOAST_MS);
    },
    dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
  }));
}

/** Which sidebar entry a route belongs to. */
export function pageOf(route: Route): PageId {
  return route.page === 'app' ? 'apps' : route.page;
}
