import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { SlipwayError } from '../../shared/errors';
import { fail, ok, toErrorPayload } from '../../shared/rpc/envelope';
import { IPC_CHANNELS } from '../../shared/rpc/preload-bridge';
import type { Unsubscribe } from '../../shared/rpc/transport';
import type { MessageTarget } from '../engine/daemon/serve-messages';

export interface IpcAdapterOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeListener'>;
  /** Where calls go: the relay to the engine process in the app, a router in tests. */
  router: MessageTarget;
  /** Decides whether a message comes from the app's own main frame. */
  isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean;
}

const forbidden = () =>
  fail(toErrorPayload(new SlipwayError('FORBIDDEN_SENDER', 'Slipway only answers calls from its own window.')));

/** Carries a message target (the engine relay) over Electron IPC; calls from any other frame are refused. Returns a function that unregisters it. */
export function registerIpcRouter({ ipcMain, router, isTrustedSender }: IpcAdapterOptions): () => void {
  const subscriptions = new Map<WebContents, Map<number, Unsubscribe>>();

  const subscriptionsOf = (sender: WebContents) => {
    let forSender = subscriptions.get(sender);
    if (!forSender) {
      forSender = new Map();
      subscriptions.set(sender, forSender);
      sender.once('destroyed', () => {
        for (const unsubscribe of forSender!.values()) unsubscribe();
        subscriptions.delete(sender);
      });
    }
    return forSender;
  };

  ipcMain.handle(IPC_CHANNELS.call, async (event, name: unknown, request: unknown) => {
    if (!isTrustedSender(event)) return forbidden();
    return router.call(String(name), request);
  });

  ipcMain.handle(IPC_CHANNELS.subscribe, async (event, id: unknown, name: unknown, params: unknown) => {
    if (!isTrustedSender(event)) return forbidden();
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
      return fail(toErrorPayload(new SlipwayError('INVALID_REQUEST', 'Subscription id must be an integer.')));
    }
    const sender = event.sender;
    const result = await router.subscribe(String(name), params, (payload) => {
      if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.event, id, payload);
    });
    if (!result.ok) return result;
    subscriptionsOf(sender).get(id)?.();
    subscriptionsOf(sender).set(id, result.data);
    return ok(null);
  });

  const onUnsubscribe = (event: IpcMainEvent, id: unknown) => {
    if (!isTrustedSender(event) || typeof id !== 'number') return;
    const forSender = subscriptions.get(event.sender);
    forSender?.get(id)?.();
    forSender?.delete(id);
  };
  ipcMain.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);

  return () => {
    ipcMain.removeHandler(IPC_CHANNELS.call);
    ipcMain.removeHandler(IPC_CHANNELS.subscribe);
    ipcMain.removeListener(IPC_CHANNELS.unsubscribe, onUnsubscribe);
    for (const forSender of subscriptions.values()) for (const unsubscribe of forSender.values()) unsubscribe();
    subscriptions.clear();
  };
}
