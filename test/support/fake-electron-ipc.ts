import { EventEmitter } from 'node:events';

/**
 * A stand-in for Electron's IPC between one window's frame and the main
 * process. Like Electron, it structured-clones every value that crosses, so a
 * function or class instance that would not survive real IPC fails here too.
 */
export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

export function createFakeIpc(options: { frameUrl?: string } = {}) {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const mainListeners = new EventEmitter();
  const rendererListeners = new EventEmitter();
  const mainFrame: FakeFrame = { url: options.frameUrl ?? 'file:///app/out/renderer/index.html', parent: null };
  let senderFrame: FakeFrame = mainFrame;
  let destroyed = false;

  const webContents = Object.assign(new EventEmitter(), {
    mainFrame,
    isDestroyed: () => destroyed,
    send(channel: string, ...args: unknown[]) {
      rendererListeners.emit(channel, {}, ...structuredClone(args));
    },
  });

  const event = () => ({ sender: webContents, senderFrame });

  const ipcMain = {
    handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
      handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      mainListeners.on(channel, listener);
      return ipcMain;
    },
    removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      mainListeners.removeListener(channel, listener);
      return ipcMain;
    },
  };

  const ipcRenderer = {
    async invoke(channel: string, ...args: unknown[]) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await handler(event(), ...structuredClone(args)));
    },
    send(channel: string, ...args: unknown[]) {
      mainListeners.emit(channel, event(), ...structuredClone(args));
    },
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      rendererListeners.on(channel, listener);
      return ipcRenderer;
    },
  };

  return {
    ipcMain,
    ipcRenderer,
    webContents,
    mainFrame,
    /** Makes the following messages come from another frame (e.g. an injected iframe). */
    sendFrom(frame: FakeFrame) {
      senderFrame = frame;
    },
    destroy() {
      destroyed = true;
      webContents.emit('destroyed');
    },
  };
}
