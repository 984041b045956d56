import type { BaseWindow, Dialog, IpcMain, IpcMainInvokeEvent, OpenDialogOptions, WebContents } from 'electron';
import { DESKTOP_IPC_CHANNELS, pickFolderRequestSchema } from '../shared/desktop-bridge';
import { SlipwayError } from '../shared/errors';
import { fail, ok, toErrorPayload, type Envelope } from '../shared/rpc/envelope';
import { parseRequest } from '../shared/rpc/validation';

export interface FolderPickerOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dialog: Pick<Dialog, 'showOpenDialog'>;
  /** The window a webContents belongs to (BrowserWindow.fromWebContents), which the picker is modal to. */
  windowOf(sender: WebContents): BaseWindow | null;
  /** Decides whether a message comes from the app's own main frame. */
  isTrustedSender(event: IpcMainInvokeEvent): boolean;
}

const forbidden = () =>
  fail(toErrorPayload(new SlipwayError('FORBIDDEN_SENDER', 'Slipway only answers calls from its own window.')));

/**
 * Answers the desktop bridge's pickFolder with the OS folder picker. The
 * request is validated again here: the preload's check protects nothing
 * against a compromised renderer. Returns a function that unregisters it.
 */
export function registerFolderPicker({ ipcMain, dialog, windowOf, isTrustedSender }: FolderPickerOptions): () => void {
  ipcMain.handle(DESKTOP_IPC_CHANNELS.pickFolder, async (event, request: unknown): Promise<Envelope<string | null>> => {
    if (!isTrustedSender(event)) return forbidden();
    // A picker with no parent window would float free of the app that asked for it.
    const window = windowOf(event.sender);
    if (!window) return forbidden();
    try {
      const { title, defaultPath } = parseRequest(pickFolderRequestSchema, request, 'pickFolder');
      const options: OpenDialogOptions = { title, properties: ['openDirectory', 'createDirectory'] };
      if (defaultPath !== undefined) options.defaultPath = defaultPath;
      const result = await dialog.showOpenDialog(window, options);
      return ok(result.canceled ? null : (result.filePaths[0] ?? null));
    } catch (err) {
      return fail(toErrorPayload(err));
    }
  });
  return () => ipcMain.removeHandler(DESKTOP_IPC_CHANNELS.pickFolder);
}
