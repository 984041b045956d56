import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { ok } from '../shared/rpc/envelope';
import { IPC_CHANNELS } from '../shared/rpc/preload-bridge';
import type { Router } from '../shared/rpc/router';
import { registerIpcRouter, type IpcAdapterOptions } from './rpc/ipc-adapter';
import {
  guardNavigation,
  handleWindowOpen,
  installContentSecurityPolicy,
  installPermissionPolicy,
  isAppUrl,
  isTrustedSender,
  secureWebPreferences,
  type TrustedWindow,
} from './security';

// Nothing here may need the real Electron binary; fail loudly if security.ts ever starts to.
vi.mock('electron', () => ({}));

const APP_ENTRY = 'app://slipway/index.html';
const FILE_RENDERER = 'file:///opt/Slipway/resources/app.asar/out/renderer/index.html';
const DEV_ENTRY = 'http://localhost:5173/';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('secureWebPreferences', () => {
  it('is exactly the locked-down set, with the given preload and DevTools', () => {
    expect(secureWebPreferences('/app/out/preload/index.js', { devTools: false })).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/app/out/preload/index.js',
    });
  });
});

describe('the content security policy', () => {
  type Listener = (
    details: { responseHeaders?: Record<string, string[]> },
    callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
  ) => void;

  function installed(): Listener {
    const onHeadersReceived = vi.fn();
    installContentSecurityPolicy({ webRequest: { onHeadersReceived } } as never);
    expect(onHeadersReceived).toHaveBeenCalledTimes(1);
    return onHeadersReceived.mock.calls[0]![0] as Listener;
  }

  it('is added to a response, equal to CONTENT_SECURITY_POLICY, keeping the other headers', () => {
    const callback = vi.fn();
    installed()({ responseHeaders: { 'Content-Type': ['text/html'], 'Cache-Control': ['no-cache'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: {
        'Content-Type': ['text/html'],
        'Cache-Control': ['no-cache'],
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });

  it('is added to a response that had no headers', () => {
    const callback = vi.fn();
    installed()({}, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  it("replaces a server's own policy, whatever the header's case", () => {
    const callback = vi.fn();
    installed()({ responseHeaders: { 'content-security-policy': ["default-src * 'unsafe-eval'"] } }, callback);
    const headers = callback.mock.calls[0]![0].responseHeaders as Record<string, string[]>;
    const cspHeaders = Object.entries(headers).filter(([name]) => name.toLowerCase() === 'content-security-policy');
    expect(cspHeaders).toEqual([['Content-Security-Policy', [CONTENT_SECURITY_POLICY]]]);
  });

  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...sources]) => [name!, sources] as const),
  );

  it('allows scripts only from the app itself and no plugins', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });

  it('forbids eval and inline scripts', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('names no remote origin, wildcard or scheme that reaches one', () => {
    const allowed = new Set(["'self'", "'none'", "'unsafe-inline'", 'data:']);
    for (const [name, sources] of directives) {
      for (const source of sources) expect(allowed, `${name} ${source}`).toContain(source);
    }
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe('isAppUrl', () => {
  it.each([
    [APP_ENTRY, true],
    [`${APP_ENTRY}#/apps/web`, true],
    [`${APP_ENTRY}?tab=logs`, true],
    ['app://slipway/assets/index.js', true],
    ['app://evil/index.html', false],
    ['app://slipway:8080/index.html', false],
    [FILE_RENDERER, false],
    ['file:///etc/passwd', false],
    ['https://example.com/', false],
    ['javascript:alert(1)', false],
    ['about:blank', false],
    ['not a url', false],
  ])('for the app:// entry, %s → %s', (url, expected) => {
    expect(isAppUrl(url, APP_ENTRY)).toBe(expected);
  });

  it.each([
    [DEV_ENTRY, true],
    ['http://localhost:5173/some/route?x=1#y', true],
    ['http://localhost:5174/', false],
    ['https://localhost:5173/', false],
    ['http://127.0.0.1:5173/', false],
    ['http://localhost:5173.evil.example/', false],
    [APP_ENTRY, false],
  ])('for a dev-server entry, %s → %s', (url, expected) => {
    expect(isAppUrl(url, DEV_ENTRY)).toBe(expected);
  });

  it('trusts nothing when the entry itself is not app: or http(s):', () => {
    expect(isAppUrl(FILE_RENDERER, FILE_RENDERER)).toBe(false);
    expect(isAppUrl('data:text/html,hi', 'data:text/html,hi')).toBe(false);
    expect(isAppUrl('anything', 'not a url')).toBe(false);
  });
});

describe('guardNavigation', () => {
  const navigate = (url: string, entry = APP_ENTRY) => {
    const event = { preventDefault: vi.fn() };
    const allowed = guardNavigation(event, url, entry);
    return { allowed, prevented: event.preventDefault.mock.calls.length > 0 };
  };

  it.each([
    'https://example.com/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    FILE_RENDERER,
    'app://evil/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>1</script>',
    'about:blank',
  ])('prevents navigating away to %s', (url) => {
    expect(navigate(url)).toEqual({ allowed: false, prevented: true });
  });

  it.each([APP_ENTRY, `${APP_ENTRY}#/deployments/42`])('lets the app reload or move within itself: %s', (url) => {
    expect(navigate(url)).toEqual({ allowed: true, prevented: false });
  });

  it("follows the dev server's origin in development", () => {
    expect(navigate('http://localhost:5173/index.html', DEV_ENTRY)).toEqual({ allowed: true, prevented: false });
    expect(navigate('http://localhost:8080/', DEV_ENTRY)).toEqual({ allowed: false, prevented: true });
  });
});

describe('handleWindowOpen', () => {
  it.each(['https://docs.docker.com/engine/', 'http://127.0.0.1:8080/'])(
    'denies the window and opens %s in the browser',
    (url) => {
      const openExternal = vi.fn(async () => {});
      expect(handleWindowOpen(url, openExternal)).toEqual({ action: 'deny' });
      expect(openExternal).toHaveBeenCalledExactlyOnceWith(url);
    },
  );

  it.each([
    'file:///etc/passwd',
    'file://server/share/evil.exe',
    'javascript:alert(1)',
    'smb://attacker.example/share',
    'slipway://deploy',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://file/etc/passwd',
    'mailto:someone@example.com',
    'data:text/html,hi',
    'about:blank',
    'not a url',
    '',
  ])('denies the window and opens nothing for %s', (url) => {
    const openExternal = vi.fn(async () => {});
    expect(handleWindowOpen(url, openExternal)).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('hands the browser the parsed URL, not the raw string', () => {
    const openExternal = vi.fn(async () => {});
    handleWindowOpen('  HTTPS://Example.COM/a b', openExternal);
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/a%20b');
  });

  it('logs, rather than rejects, when the browser cannot be opened', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const openExternal = vi.fn(() => Promise.reject(new Error('no browser')));
    expect(handleWindowOpen('https://example.com/', openExternal)).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(warn).toHaveBeenCalledOnce());
  });
});

describe('installPermissionPolicy', () => {
  function handlers(entry = APP_ENTRY) {
    const setPermissionRequestHandler = vi.fn();
    const setPermissionCheckHandler = vi.fn();
    installPermissionPolicy({ setPermissionRequestHandler, setPermissionCheckHandler } as never, entry);
    const request = setPermissionRequestHandler.mock.calls[0]![0] as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl: string },
    ) => void;
    const check = setPermissionCheckHandler.mock.calls[0]![0] as (
      contents: { getURL(): string } | null,
      permission: string,
      origin: string,
      details: { requestingUrl?: string },
    ) => boolean;
    return {
      requested(permission: string, requestingUrl: string): boolean {
        const callback = vi.fn();
        request({}, permission, callback, { requestingUrl });
        expect(callback).toHaveBeenCalledOnce();
        return callback.mock.calls[0]![0] as boolean;
      },
      checked: (permission: string, requestingUrl?: string, contentsUrl = 'about:blank') =>
        check({ getURL: () => contentsUrl }, permission, 'file:///', { requestingUrl }),
    };
  }

  it('grants notifications and clipboard writes to the app and nothing else', () => {
    const { requested, checked } = handlers();
    for (const permission of ['notifications', 'clipboard-sanitized-write']) {
      expect(requested(permission, APP_ENTRY), permission).toBe(true);
      expect(checked(permission, APP_ENTRY), permission).toBe(true);
    }
    for (const permission of [
      'media',
      'geolocation',
      'clipboard-read',
      'deprecated-sync-clipboard-read',
      'openExternal',
      'fullscreen',
      'hid',
      'usb',
    ]) {
      expect(requested(permission, APP_ENTRY), permission).toBe(false);
      expect(checked(permission, APP_ENTRY), permission).toBe(false);
    }
  });

  it.each(['notifications', 'clipboard-sanitized-write'])(
    'refuses %s to any page that is not the app',
    (permission) => {
      const { requested, checked } = handlers();
      for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://localhost:5173/']) {
        expect(requested(permission, url), url).toBe(false);
        expect(checked(permission, url), url).toBe(false);
      }
    },
  );

  it('keeps clipboard reads denied even to the app', () => {
    const { requested, checked } = handlers(DEV_ENTRY);
    expect(requested('clipboard-read', DEV_ENTRY)).toBe(false);
    expect(checked('clipboard-read', DEV_ENTRY)).toBe(false);
    expect(checked('clipboard-read', undefined, DEV_ENTRY)).toBe(false);
  });

  it("judges a check without a requesting URL by its webContents' URL", () => {
    const { checked } = handlers(DEV_ENTRY);
    expect(checked('notifications', undefined, 'http://localhost:5173/')).toBe(true);
    expect(checked('notifications', undefined, 'https://example.com/')).toBe(false);
    expect(checked('clipboard-sanitized-write', undefined, 'http://localhost:5173/')).toBe(true);
    expect(checked('clipboard-sanitized-write', undefined, 'https://example.com/')).toBe(false);
  });
});

describe('isTrustedSender, through registerIpcRouter', () => {
  type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

  function fakeContents(url: string) {
    const mainFrame = { url, parent: null };
    return { mainFrame, once: vi.fn(), isDestroyed: () => false, send: vi.fn() };
  }

  function setUp() {
    const contents = fakeContents(APP_ENTRY);
    let destroyed = false;
    const window: TrustedWindow = { isDestroyed: () => destroyed, webContents: contents };
    let current: TrustedWindow | null = window;

    const handlers = new Map<string, Handler>();
    const ipcMain = {
      handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
      on: vi.fn(),
      removeHandler: vi.fn(),
      removeListener: vi.fn(),
    };
    const router: Router = {
      call: vi.fn(async () => ok('pong')),
      subscribe: vi.fn(async () => ok(() => {})),
    };
    registerIpcRouter({
      ipcMain: ipcMain as unknown as IpcAdapterOptions['ipcMain'],
      router,
      isTrustedSender: (event) => isTrustedSender(event, current, APP_ENTRY),
    });

    return {
      contents,
      router,
      call: (event: unknown) => handlers.get(IPC_CHANNELS.call)!(event, 'system.info', {}),
      subscribe: (event: unknown) => handlers.get(IPC_CHANNELS.subscribe)!(event, 1, 'system.containerEvents', {}),
      destroy: () => void (destroyed = true),
      forget: () => void (current = null),
    };
  }

  const forbidden = { ok: false, error: { code: 'FORBIDDEN_SENDER' } };

  it("lets a call from the window's own main frame reach the router", async () => {
    const ipc = setUp();
    await expect(ipc.call({ sender: ipc.contents, senderFrame: ipc.contents.mainFrame })).resolves.toEqual(ok('pong'));
    expect(ipc.router.call).toHaveBeenCalledExactlyOnceWith('system.info', {});
  });

  it('lets a subscription from the main frame reach the router', async () => {
    const ipc = setUp();
    await expect(ipc.subscribe({ sender: ipc.contents, senderFrame: ipc.contents.mainFrame })).resolves.toEqual(
      ok(null),
    );
    expect(ipc.router.subscribe).toHaveBeenCalledOnce();
  });

  it('refuses a subframe of the window, even one showing the app', async () => {
    const ipc = setUp();
    const subframe = { url: APP_ENTRY, parent: ipc.contents.mainFrame };
    await expect(ipc.call({ sender: ipc.contents, senderFrame: subframe })).resolves.toMatchObject(forbidden);
    await expect(ipc.subscribe({ sender: ipc.contents, senderFrame: subframe })).resolves.toMatchObject(forbidden);
    expect(ipc.router.call).not.toHaveBeenCalled();
    expect(ipc.router.subscribe).not.toHaveBeenCalled();
  });

  it("refuses another webContents' main frame, even one showing the app", async () => {
    const ipc = setUp();
    const other = fakeContents(APP_ENTRY);
    await expect(ipc.call({ sender: other, senderFrame: other.mainFrame })).resolves.toMatchObject(forbidden);
    // Another webContents claiming the window's frame as its own is still another sender.
    await expect(ipc.call({ sender: other, senderFrame: ipc.contents.mainFrame })).resolves.toMatchObject(forbidden);
    expect(ipc.router.call).not.toHaveBeenCalled();
  });

  it('refuses the main frame once it has navigated to a page that is not the app', async () => {
    const ipc = setUp();
    ipc.contents.mainFrame.url = 'https://attacker.example/';
    await expect(ipc.call({ sender: ipc.contents, senderFrame: ipc.contents.mainFrame })).resolves.toMatchObject(
      forbidden,
    );
    expect(ipc.router.call).not.toHaveBeenCalled();
  });

  it('refuses a sender whose frame is gone', async () => {
    const ipc = setUp();
    await expect(ipc.call({ sender: ipc.contents, senderFrame: null })).resolves.toMatchObject(forbidden);
    expect(ipc.router.call).not.toHaveBeenCalled();
  });

  it('refuses everything once the window is destroyed or closed', async () => {
    const ipc = setUp();
    const genuine = { sender: ipc.contents, senderFrame: ipc.contents.mainFrame };
    ipc.destroy();
    await expect(ipc.call(genuine)).resolves.toMatchObject(forbidden);
    ipc.forget();
    await expect(ipc.call(genuine)).resolves.toMatchObject(forbidden);
    expect(ipc.router.call).not.toHaveBeenCalled();
  });
});
