import type { IpcRenderer } from 'electron';
import { entryNames, type Contract } from '../shared/rpc/contract';
import { IPC_CHANNELS, unknownEntry, type PreloadBridge } from '../shared/rpc/preload-bridge';
import type { Envelope } from '../shared/rpc/envelope';

/**
 * Builds the bridge the renderer sees. It forwards only names that are in the
 * contract, so a compromised page cannot use it to reach any other IPC channel.
 */
export function createPreloadBridge(
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'send' | 'on'>,
  contract: Contract,
): PreloadBridge {
  const { methods, streams } = entryNames(contract);
  const methodNames = new Set(methods);
  const streamNames = new Set(streams);
  const listeners = new Map<number, (event: unknown) => void>();
  let nextId = 1;

  ipcRenderer.on(IPC_CHANNELS.event, (_event, id: number, payload: unknown) => listeners.get(id)?.(payload));

  return {
    call(name, request) {
      if (typeof name !== 'string' || !methodNames.has(name)) return Promise.resolve(unknownEntry(String(name)));
      return ipcRenderer.invoke(IPC_CHANNELS.call, name, request) as Promise<Envelope<unknown>>;
    },
    async subscribe(name, params, onEvent) {
      if (typeof name !== 'string' || !streamNames.has(name)) return unknownEntry(String(name));
      const id = nextId++;
      listeners.set(id, onEvent);
      const result = (await ipcRenderer.invoke(IPC_CHANNELS.subscribe, id, name, params)) as Envelope<null>;
      if (!result.ok) {
        listeners.delete(id);
        return result;
      }
      return { ok: true, data: id };
    },
    unsubscribe(id) {
      if (listeners.delete(id)) ipcRenderer.send(IPC_CHANNELS.unsubscribe, id);
    },
  };
}
