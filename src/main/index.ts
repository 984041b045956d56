import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { createEngine, type Engine } from './engine/engine';
import { registerFolderPicker } from './folder-picker';
import { registerIpcRouter } from './rpc/ipc-adapter';
import { installContentSecurityPolicy, installPermissionPolicy, isTrustedSender, type SenderEvent } from './security';
import { createMainWindow, rendererEntryUrl } from './window';

// Long enough for SSH connections to say goodbye; short enough that a dead server never holds the app open.
const ENGINE_CLOSE_TIMEOUT_MS = 5_000;

function closeWithin(engine: Engine, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([engine.close(), timeout]).finally(() => clearTimeout(timer));
}

function main(): void {
  // One writer for the state files: a second launch hands over to the first and exits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();

  // The dev server URL is honoured only unpackaged, so an environment variable cannot point a shipped app elsewhere.
  const appEntryUrl = rendererEntryUrl({
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
    indexHtmlPath: join(__dirname, '../renderer/index.html'),
  });
  const preloadPath = join(__dirname, '../preload/index.js');

  let engine: Engine | null = null;
  let mainWindow: BrowserWindow | null = null;
  let engineClosing = false;
  let readyToQuit = false;

  const openWindow = () => {
    const window = createMainWindow({ preloadPath, appEntryUrl });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    mainWindow = window;
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (engine && !mainWindow) openWindow();
  });

  // Quitting waits for the engine to close its connections, then resumes.
  app.on('will-quit', (event) => {
    if (readyToQuit || !engine) return;
    event.preventDefault();
    if (engineClosing) return;
    engineClosing = true;
    closeWithin(engine, ENGINE_CLOSE_TIMEOUT_MS)
      .catch((err: unknown) => console.error('Slipway could not close its engine cleanly:', err))
      .finally(() => {
        readyToQuit = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(() => {
      installContentSecurityPolicy(session.defaultSession);
      installPermissionPolicy(session.defaultSession, appEntryUrl);
      engine = createEngine({
        dataDir: app.getPath('userData'),
        // Deployed apps keep answering after the window closes: the edge runs in its own process.
        edgeProcess: { script: join(__dirname, 'edge-daemon.js') },
      });
      // Reconcile with Docker and bring every live app's routes back, without holding up the window.
      engine.start().catch((err: unknown) => console.error('Slipway could not open its state:', err));
      const trusted = (event: SenderEvent) => isTrustedSender(event, mainWindow, appEntryUrl);
      registerIpcRouter({ ipcMain, router: engine.router, isTrustedSender: trusted });
      registerFolderPicker({
        ipcMain,
        dialog,
        windowOf: (contents) => BrowserWindow.fromWebContents(contents),
        isTrustedSender: trusted,
      });
      openWindow();
    })
    .catch((err: unknown) => {
      console.error('Slipway could not start:', err);
      dialog.showErrorBox('Slipway could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}

main();
