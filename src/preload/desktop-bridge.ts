import type { IpcRenderer } from 'electron';
import { DESKTOP_IPC_CHANNELS, pickFolderRequestSchema, type DesktopBridge } from '../shared/desktop-bridge';
import { unwrap, type Envelope } from '../shared/rpc/envelope';
import { parseRequest } from '../shared/rpc/validation';

/**
 * Builds the desktop bridge the renderer sees. A bad request is refused here,
 * before it reaches IPC; the main process checks it again all the same.
 */
export function createDesktopBridge(ipcRenderer: Pick<IpcRenderer, 'invoke'>): DesktopBridge {
  return {
    async pickFolder(request) {
      const valid = parseRequest(pickFolderRequestSchema, request, 'pickFolder');
      return unwrap((await ipcRenderer.invoke(DESKTOP_IPC_CHANNELS.pickFolder, valid)) as Envelope<string | null>);
    },
  };
}
