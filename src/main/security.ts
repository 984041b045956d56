import type { Session, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { APP_SCHEME } from './app-protocol';

/** The one set of web preferences Slipway's window is created with; DevTools only where asked (never packaged). */
export function secureWebPreferences(preloadPath: string, { devTools }: { devTools: boolean }) {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    devTools,
    preload: preloadPath,
  } as const satisfies WebPreferences;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True only for the app's own renderer: the entry's origin, app://slipway
 * (`URL.origin` is "null" for a scheme Node does not know: compare scheme and
 * host) or the dev server's. A file:// URL is never the app.
 */
export function isAppUrl(url: string, appEntryUrl: string): boolean {
  const target = parseUrl(url);
  const entry = parseUrl(appEntryUrl);
  if (!target || !entry) return false;
  if (entry.protocol === `${APP_SCHEME}:`) return target.protocol === entry.protocol && target.host === entry.host;
  if (entry.protocol === 'http:' || entry.protocol === 'https:') return target.origin === entry.origin;
  return false;
}

interface FrameLike {
  readonly url: string;
}

/** The parts of an IPC event that say who sent it. */
export interface SenderEvent {
  readonly sender: unknown;
  readonly senderFrame: FrameLike | null;
}

/** The parts of the main window that say which frame is its own. */
export interface TrustedWindow {
  isDestroyed(): boolean;
  readonly webContents: { readonly mainFrame: FrameLike };
}

/**
 * True only for a message from the main window's top frame while it shows the
 * app: subframes, other webContents, and a main frame that somehow reached
 * another page all get nothing from the engine.
 */
export function isTrustedSender(
  event: SenderEvent,
  mainWindow: TrustedWindow | null | undefined,
  appEntryUrl: string,
): boolean {
  if (!mainWindow || mainWindow.isDestroyed()) return false;
  const contents = mainWindow.webContents;
  // Electron hands out null once the sending frame has navigated away or gone.
  const frame = event.senderFrame;
  if (event.sender !== contents || frame === null || frame !== contents.mainFrame) return false;
  return isAppUrl(frame.url, appEntryUrl);
}

const EXTERNAL_PROTOCOLS = new Set(['http:', 'https:']);

/**
 * Denies every new window. Web links go to the user's browser; anything else
 * (file:, javascript:, smb:, custom schemes that launch other programs) goes nowhere.
 */
export function handleWindowOpen(url: string, openExternal: (url: string) => Promise<unknown>): { action: 'deny' } {
  const target = parseUrl(url);
  if (target && EXTERNAL_PROTOCOLS.has(target.protocol)) {
    // A browser that fails to start must not become an unhandled rejection in the main process.
    openExternal(target.href).catch((err: unknown) => console.warn('Slipway could not open a link:', err));
  }
  return { action: 'deny' };
}

/** Cancels a navigation unless it stays on the app's own page; returns whether it may go ahead. */
export function guardNavigation(event: { preventDefault(): void }, url: string, appEntryUrl: string): boolean {
  if (isAppUrl(url, appEntryUrl)) return true;
  event.preventDefault();
  return false;
}

/**
 * Sends the CSP as a header on every response. Ours replaces any the server
 * sent (the dev server's), so dev and production run under the same policy.
 */
export function installContentSecurityPolicy(session: Pick<Session, 'webRequest'>): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

/**
 * What the app's own page may use: notifications (deployment results) and
 * writing to the clipboard (the log view's Copy). Reading the clipboard is not
 * here: nothing needs it, and a compromised page could lift passwords with it.
 */
const APP_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

/** Denies every permission but APP_PERMISSIONS, and those only to the app's own page. */
export function installPermissionPolicy(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  appEntryUrl: string,
): void {
  const allowed = (permission: string, requestingUrl: string) =>
    APP_PERMISSIONS.has(permission) && isAppUrl(requestingUrl, appEntryUrl);
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl)),
  );
  // Checks (e.g. Notification.permission) are answered separately from requests; without this they default to granted.
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    allowed(permission, details.requestingUrl ?? contents?.getURL() ?? ''),
  );
}
