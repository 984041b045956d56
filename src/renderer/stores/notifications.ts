import type { Deployment } from '../../shared/deployment';
import type { AppsStore } from './apps-store';

export interface Notifier {
  /** False when the user turned deployment notifications off in Settings. */
  isWanted(): boolean;
  /** True when the window is in the background: minimised, hidden, another tab, or another window in front. */
  isHidden(): boolean;
  show(title: string, body: string, tag: string): void;
}

/** Where the window keeps the user's choice; the engine has no say in it. */
const WANTED_KEY = 'slipway.notifications';

/** Whether the user wants deployment notifications: yes unless turned off in Settings. */
export function notificationsWanted(storage: Pick<Storage, 'getItem'> = localStorage): boolean {
  return storage.getItem(WANTED_KEY) !== 'off';
}

export function setNotificationsWanted(wanted: boolean, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(WANTED_KEY, wanted ? 'on' : 'off');
}

/** What the system lets Slipway do: `default` means it has not been asked yet. */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** The desktop's own notifications, through the web Notification API (Electron shows them natively). */
export function browserNotifier(): Notifier {
  return {
    isWanted: () => notificationsWanted(),
    // A window behind another one is not hidden, only unfocused: both count as the background.
    isHidden: () => document.hidden || !document.hasFocus(),
    show(title, body, tag) {
      if (notificationPermission() !== 'granted') return;
      try {
        new Notification(title, { body, tag });
      } catch {
        // Some hosts only allow notifications from a service worker: the window shows the result anyway.
      }
    },
  };
}

/** Asks once, on a user's action, whether Slipway may notify; a refusal is respected and never asked again. */
export async function askNotificationPermission(): Promise<void> {
  if (notificationPermission() !== 'default' || !notificationsWanted()) return;
  await Notification.requestPermission().catch(() => undefined);
}

export function notificationFor(deployment: Deployment): { title: string; body: string } | null {
  if (deployment.phase === 'ACTIVE') {
    return {
      title: `${deployment.app} is live`,
      body: `Deployment ${deployment.id} (${deployment.cause}) went live.`,
    };
  }
  if (deployment.phase === 'ERROR') {
    return {
      title: `${deployment.app}: deployment failed`,
      body: deployment.error?.message ?? `Deployment ${deployment.id} failed.`,
    };
  }
  return null;
}

/**
 * Tells the desktop when a deployment watched live succeeds or fails while the
 * window is in the background; in the foreground the window itself shows it.
 */
export function startDeploymentNotifications(store: AppsStore, notifier: Notifier): () => void {
  return store.onPhaseChange((deployment, previous) => {
    if (previous === deployment.phase || !notifier.isHidden() || !notifier.isWanted()) return;
    const message = notificationFor(deployment);
    if (message) notifier.show(message.title, message.body, `slipway-${deployment.id}`);
  });
}
