import type { WebContents } from 'electron';
import { guardNavigation, handleWindowOpen, installPermissionPolicy } from './security';

export interface WebContentsGuardOptions {
  /** The app's own page: the one place any web contents may navigate to. */
  appEntryUrl: string;
  /** Hands an http(s) link to the user's browser. */
  openExternal(url: string): Promise<unknown>;
  /** False in packaged builds: DevTools that open anyway are closed at once. */
  allowDevTools: boolean;
}

/** What the guards touch on a web contents. */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'closeDevTools' | 'session'>;

/**
 * Locks down a web contents, whichever made it: no navigation away from the
 * app, no new windows (web links go to the browser), no webviews, no DevTools
 * when packaged, and the app's permission policy on its session. Attached on
 * `web-contents-created`, so a contents that is not the main window (a
 * devtools or a future view) is never left with Electron's permissive defaults.
 */
export function guardWebContents(contents: GuardedContents, options: WebContentsGuardOptions): void {
  const { appEntryUrl } = options;
  contents.setWindowOpenHandler(({ url }) => handleWindowOpen(url, options.openExternal));
  contents.on('will-navigate', (event, url) => guardNavigation(event, url, appEntryUrl));
  contents.on('will-redirect', (event, url) => guardNavigation(event, url, appEntryUrl));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  if (!options.allowDevTools) contents.on('devtools-opened', () => contents.closeDevTools());
  installPermissionPolicy(contents.session, appEntryUrl);
}
