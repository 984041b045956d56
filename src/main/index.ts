import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import type { Transport } from '../shared/rpc/transport';
import { APP_SCHEME_PRIVILEGES, serveAppProtocol } from './app-protocol';
import { decideWindowClose, guardWindowClose } from './close-guard';
import { connectEngine } from './engine/daemon/engine-launcher';
import { engineRelay } from './engine/daemon/engine-relay';
import { registerFolderPicker } from './folder-picker';
import { registerIpcRouter } from './rpc/ipc-adapter';
import { installContentSecurityPolicy, installPermissionPolicy, isTrustedSender, type SenderEvent } from './security';
import { guardWebContents } from './web-contents-guards';
import { createMainWindow, rendererEntryUrl } from './window';

function main(): void {
  // One window per user: a second launch hands over to the first and exits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  // Privileges can be given only before the app is ready; the handler comes once it is.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  // The dev server URL is honoured only unpackaged, so an environment variable cannot point a shipped app elsewhere.
  const appEntryUrl = rendererEntryUrl({
    devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
  });
  const preloadPath = join(__dirname, '../preload/index.js');
  const devTools = !app.isPackaged;

  // Every web contents, the main window's and any other, is locked down as it is made.
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, {
      appEntryUrl,
      openExternal: (url) => shell.openExternal(url),
      allowDevTools: devTools,
    }),
  );

  let relay: (Transport & { close(): void }) | null = null;
  let mainWindow: BrowserWindow | null = null;
  let quitAsked = false;

  const openWindow = (engine: Transport) => {
    const window = createMainWindow({ preloadPath, appEntryUrl, devTools });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    guardWindowClose(
      window,
      () =>
        decideWindowClose({ transport: engine, showMessageBox: (options) => dialog.showMessageBox(window, options) }),
      (decision) => {
        // Holding the window's close also called off the quit that asked for it: ask again, or forget it.
        if (decision === 'stay') quitAsked = false;
        else if (quitAsked) app.quit();
      },
    );
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
    if (relay && !mainWindow) openWindow(relay);
  });

  app.on('before-quit', () => {
    quitAsked = true;
  });

  // The engine is its own process: it finishes what is in flight and stops by itself once idle.
  app.on('will-quit', () => {
    relay?.close();
  });

  app
    .whenReady()
    .then(() => {
      serveAppProtocol(protocol, join(__dirname, '../renderer'));
      // For the dev server's responses; app:// ones carry the policy themselves.
      installContentSecurityPolicy(session.defaultSession);
      installPermissionPolicy(session.defaultSession, appEntryUrl);
      const engine = engineRelay({
        connect: () =>
          connectEngine({
            dataDir: app.getPath('userData'),
            script: join(__dirname, 'engine-daemon.js'),
            execPath: process.execPath,
          }),
      });
      relay = engine;
      // Start the engine now, so it reconciles with Docker while the window opens rather than on its first call.
      void engine.call('engine.status', {}).then((status) => {
        if (!status.ok) console.error('Slipway could not reach its engine:', status.error.message);
      });
      const trusted = (event: SenderEvent) => isTrustedSender(event, mainWindow, appEntryUrl);
      registerIpcRouter({ ipcMain, router: engine, isTrustedSender: trusted });
      registerFolderPicker({
        ipcMain,
        dialog,
        windowOf: (contents) => BrowserWindow.fromWebContents(contents),
        isTrustedSender: trusted,
      });
      openWindow(engine);
    })
    .catch((err: unknown) => {
      console.error('Slipway could not start:', err);
      dialog.showErrorBox('Slipway could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}

main();
