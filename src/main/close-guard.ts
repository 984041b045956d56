import type { MessageBoxOptions } from 'electron';
import { contract } from '../shared/contract';
import type { AppSummary } from '../shared/domains/apps';
import { createClient, hasErrorCode } from '../shared/rpc/client';
import type { Transport } from '../shared/rpc/transport';

/** What happens to the window once asked: it closes, or it stays open. */
export type CloseDecision = 'close' | 'stay';

export interface CloseGuardOptions {
  /** The relay to the engine, which outlives the window. */
  transport: Transport;
  /** Electron's dialog.showMessageBox, bound to the window it asks over. */
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
  /** How long to wait for the engine to say what is in flight before closing anyway. */
  statusTimeoutMs?: number;
  /** Told of what could not be done (a cancel the engine refused); the window closes anyway. */
  onError?(message: string, err: unknown): void;
}

export const KEEP_BUTTON = 'Keep deploying and close';
export const CANCEL_BUTTON = 'Cancel deployments and close';
export const STAY_BUTTON = 'Stay open';

// An engine that is still starting (or stuck) must not hold the window open: the user asked to close it.
const STATUS_TIMEOUT_MS = 3_000;

/** The apps whose summary shows a deployment running or waiting for its turn. */
export function busyApps(apps: readonly AppSummary[]): string[] {
  return apps.filter((app) => app.activeDeployment !== null).map((app) => app.name);
}

async function withinTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Decides whether the window may close: at once when nothing deploys,
 * otherwise after telling the user the deployments go on without it and
 * offering to cancel them or to stay open.
 */
export async function decideWindowClose(options: CloseGuardOptions): Promise<CloseDecision> {
  const client = createClient(contract, options.transport);
  const onError = options.onError ?? ((message, err) => console.error(message, err));
  // An engine that cannot answer runs nothing this window could speak for.
  const status = await withinTimeout(
    client.engine.status().catch(() => null),
    options.statusTimeoutMs ?? STATUS_TIMEOUT_MS,
  );
  if (!status || status.inFlight === 0) return 'close';

  const apps = await client.apps.list().then(busyApps, () => null);
  // The deployments ended between the two questions.
  if (apps?.length === 0) return 'close';

  const buttons = apps ? [KEEP_BUTTON, CANCEL_BUTTON, STAY_BUTTON] : [KEEP_BUTTON, STAY_BUTTON];
  const follow = apps?.length === 1 ? apps[0]! : 'APP';
  const { response } = await options.showMessageBox({
    type: 'info',
    title: 'Slipway',
    message: apps
      ? `Slipway keeps deploying ${apps.join(', ')} in the background`
      : 'Slipway keeps deploying in the background',
    detail:
      apps?.length === 1
        ? `The deployment runs to its end. Follow it from the CLI (slipway apps logs ${follow} --type build --follow) or by opening Slipway again.`
        : `The deployments run to their end. Follow them from the CLI (slipway apps logs ${follow} --type build --follow) or by opening Slipway again.`,
    buttons,
    defaultId: 0,
    cancelId: buttons.indexOf(STAY_BUTTON),
    noLink: true,
  });
  const choice = buttons[response] ?? STAY_BUTTON;
  if (choice === STAY_BUTTON) return 'stay';
  if (choice === CANCEL_BUTTON && apps) {
    await Promise.all(
      apps.map(async (app) => {
        try {
          // The queue first, so a waiting deployment does not start once the running one is canceled.
          await client.apps.cleanQueue({ app, by: 'desktop' });
          await client.apps.cancel({ app, by: 'desktop' });
        } catch (err) {
          // It ended (or was canceled elsewhere) meanwhile: what was asked is done.
          if (!hasErrorCode(err, 'NOTHING_RUNNING')) onError(`Slipway could not cancel the deployment of ${app}:`, err);
        }
      }),
    );
  }
  return 'close';
}

/** The part of a BrowserWindow the guard needs. */
export interface GuardedWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  close(): void;
  isDestroyed(): boolean;
}

/**
 * Holds each close of the window until `decide` allows it, then closes it for
 * real; a close asked again while a decision is pending waits for that one.
 * `onDecided` hears every decision, after the window was told to close.
 */
export function guardWindowClose(
  window: GuardedWindow,
  decide: () => Promise<CloseDecision>,
  onDecided?: (decision: CloseDecision) => void,
): void {
  let confirmed = false;
  let deciding = false;
  window.on('close', (event) => {
    if (confirmed) return;
    // Electron reads preventDefault only during the event: the engine's answer comes too late to decide then.
    event.preventDefault();
    if (deciding) return;
    deciding = true;
    void decide()
      .catch((err: unknown) => {
        console.error('Slipway could not ask what is deploying; closing the window:', err);
        return 'close' as const;
      })
      .then((decision) => {
        deciding = false;
        if (decision === 'close' && !window.isDestroyed()) {
          confirmed = true;
          window.close();
        }
        onDecided?.(decision);
      });
  });
}
