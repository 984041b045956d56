import { BrowserWindow, nativeTheme } from 'electron';
import { APP_ENTRY_URL } from './app-protocol';
import { secureWebPreferences } from './security';

export interface MainWindowOptions {
  /** Absolute path of the built preload script. */
  preloadPath: string;
  /** What {@link rendererEntryUrl} returned: the dev server's URL or the built renderer's app:// URL. */
  appEntryUrl: string;
  /** Whether DevTools may open: never in a packaged build. */
  devTools: boolean;
}

// The renderer's --bg (src/renderer/styles.css), so the window does not flash another colour before it paints.
export const WINDOW_BACKGROUND = { dark: '#111418', light: '#f3f5f8' } as const;

/**
 * The URL the window loads and trusts: the dev server's when one is given and
 * is http(s), otherwise the built renderer on app:// (see app-protocol.ts).
 */
export function rendererEntryUrl({ devServerUrl }: { devServerUrl?: string | undefined }): string {
  if (devServerUrl) {
    try {
      const url = new URL(devServerUrl);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // A malformed value falls through to the built renderer rather than loading nothing.
    }
  }
  return APP_ENTRY_URL;
}

/**
 * Creates Slipway's one window, locked down, and starts loading the renderer
 * into it. Its navigation, window-open and webview guards are attached to every
 * web contents as it is created (web-contents-guards.ts), this one included.
 */
export function createMainWindow({ preloadPath, appEntryUrl, devTools }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Slipway',
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    // Shown once painted, so the user never sees an empty white frame.
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    webPreferences: secureWebPreferences(preloadPath, { devTools }),
  });
  window.once('ready-to-show', () => window.show());
  // A failed load leaves the window showing nothing; say why in the log rather than as an unhandled rejection.
  window.loadURL(appEntryUrl).catch((err: unknown) => console.error('Slipway could not load its window:', err));
  return window;
}
