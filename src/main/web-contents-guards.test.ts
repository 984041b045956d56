import { describe, expect, it, vi } from 'vitest';
import { guardWebContents, type GuardedContents } from './web-contents-guards';

// Nothing here may need the real Electron binary.
vi.mock('electron', () => ({}));

const APP_ENTRY = 'app://slipway/index.html';
const DEV_ENTRY = 'http://localhost:5173/';

type Listener = (...args: unknown[]) => unknown;

/** A web contents as Electron hands it to `web-contents-created`: events, a window-open handler, a session. */
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let windowOpen: ((details: { url: string }) => unknown) | undefined;
  const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
  const contents = {
    on: (name: string, listener: Listener) => void listeners.set(name, [...(listeners.get(name) ?? []), listener]),
    setWindowOpenHandler: (handler: (details: { url: string }) => unknown) => void (windowOpen = handler),
    closeDevTools: vi.fn(),
    session,
  };
  return {
    contents: contents as unknown as GuardedContents,
    closeDevTools: contents.closeDevTools,
    session,
    windowOpen: (url: string) => windowOpen?.({ url }),
    /** Emits an event with a cancellable first argument; true when a listener cancelled it. */
    prevented(name: string, ...args: unknown[]): boolean {
      const preventDefault = vi.fn();
      for (const listener of listeners.get(name) ?? []) listener({ preventDefault }, ...args);
      return preventDefault.mock.calls.length > 0;
    },
    emit: (name: string) => (listeners.get(name) ?? []).forEach((listener) => listener()),
  };
}

function guarded({ appEntryUrl = APP_ENTRY, allowDevTools = false } = {}) {
  const fake = fakeContents();
  const openExternal = vi.fn(async (_url: string) => {});
  guardWebContents(fake.contents, { appEntryUrl, openExternal, allowDevTools });
  return { ...fake, openExternal };
}

describe('guardWebContents', () => {
  it('prevents navigation away from the app, on will-navigate and will-redirect', () => {
    const c = guarded();
    for (const event of ['will-navigate', 'will-redirect']) {
      for (const url of [
        'https://attacker.example/',
        'file:///etc/passwd',
        'file:///opt/Slipway/resources/app.asar/out/renderer/index.html',
        'app://evil/index.html',
        'javascript:alert(1)',
      ]) {
        expect(c.prevented(event, url), `${event} ${url}`).toBe(true);
      }
    }
  });

  it('lets the app navigate within itself, on app:// or on the dev server', () => {
    const c = guarded();
    expect(c.prevented('will-navigate', APP_ENTRY)).toBe(false);
    expect(c.prevented('will-navigate', `${APP_ENTRY}#/apps`)).toBe(false);
    const dev = guarded({ appEntryUrl: DEV_ENTRY });
    expect(dev.prevented('will-navigate', 'http://localhost:5173/apps')).toBe(false);
    expect(dev.prevented('will-navigate', 'http://localhost:9999/')).toBe(true);
  });

  it('prevents attaching a webview', () => {
    expect(guarded().prevented('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every window.open and hands only http(s) links to the browser', () => {
    const c = guarded();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://slipway/', 'ftp://h/']) {
      expect(c.windowOpen(url), url).toEqual({ action: 'deny' });
    }
    expect(c.openExternal).not.toHaveBeenCalled();
    expect(c.windowOpen('https://docs.docker.com/')).toEqual({ action: 'deny' });
    expect(c.windowOpen('http://127.0.0.1:8080/')).toEqual({ action: 'deny' });
    expect(c.openExternal.mock.calls).toEqual([['https://docs.docker.com/'], ['http://127.0.0.1:8080/']]);
  });

  it('closes DevTools as soon as they open when they are not allowed (a packaged build)', () => {
    const packaged = guarded({ allowDevTools: false });
    packaged.emit('devtools-opened');
    expect(packaged.closeDevTools).toHaveBeenCalledOnce();
    const unpackaged = guarded({ allowDevTools: true });
    unpackaged.emit('devtools-opened');
    expect(unpackaged.closeDevTools).not.toHaveBeenCalled();
  });

  it("puts the app's permission policy on the contents' own session", () => {
    const c = guarded();
    expect(c.session.setPermissionCheckHandler).toHaveBeenCalledOnce();
    const request = c.session.setPermissionRequestHandler.mock.calls[0]![0] as (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl: string },
    ) => void;
    const granted = (permission: string, requestingUrl: string) => {
      const callback = vi.fn();
      request({}, permission, callback, { requestingUrl });
      return callback.mock.calls[0]![0] as boolean;
    };
    expect(granted('notifications', APP_ENTRY)).toBe(true);
    expect(granted('notifications', 'https://attacker.example/')).toBe(false);
    expect(granted('media', APP_ENTRY)).toBe(false);
  });
});
