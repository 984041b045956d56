import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, nativeTheme, shell } from 'electron';
import { guardNavigation, handleWindowOpen, secureWebPreferences } from './security';

export interface MainWindowOptions {
  /** Absolute path of the built preload script. */
  preloadPath: string;
  /** What {@link rendererEntryUrl} returned: the dev server's URL or the built index.html's file:// URL. */
  appEntryUrl: string;
}

// The renderer's --bg (src/renderer/styles.css), so the window does not flash another colour before it paints.
export const WINDOW_BACKGROUND = { dark: '#111418', light: '#f3f5f8' } as const;

/**
 * The URL the window loads and trusts: the dev server's when one is given and
 * is http(s), otherwise the built index.html.
 */
export function rendererEntryUrl({
  devServerUrl,
  indexHtmlPath,
}: {
  devServerUrl?: string | undefined;
  indexHtmlPath: string;
}): string {
  if (devServerUrl) {
    try {
      const url = new URL(devServerUrl);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // A malformed value falls through to the built renderer rather than loading nothing.
    }
  }
  return pathToFileURL(indexHtmlPath).href;
}

/** Creates Slipway's one window, locked down, and starts loading the renderer into it. */
export function createMainWindow({ preloadPath, appEntryUrl }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Slipway',
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    // Shown once painted, so the user never sees an empty white frame.
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => handleWindowOpen(url, (target) => shell.openExternal(target)));
  contents.on('will-navigate', (event, url) => guardNavigation(event, url, appEntryUrl));
  contents.on('will-redirect', (event, url) => guardNavigation(event, url, appEntryUrl));
  contents.on('will-attach-webview', (event) => event.preventDefault());

  const loading = appEntryUrl.startsWith('file:')
    ? window.loadFile(fileURLToPath(appEntryUrl))
    : window.loadURL(appEntryUrl);
  // A failed load leaves the window showing nothing; say why in the log rather than as an unhandled rejection.
  loading.catch((err: unknown) => console.error('Slipway could not load its window:', err));
  return window;
}
