import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { ok } from '../shared/rpc/envelope';
import { DESKTOP_IPC_CHANNELS } from '../shared/desktop-bridge';
import { IPC_CHANNELS } from '../shared/rpc/preload-bridge';

// Hoisted above the mocks below, which hand these stand-ins to the shell.
const fake = await vi.hoisted(async () => {
  const { createFakeElectronMain } = await import('../../test/support/fake-electron-main');
  return createFakeElectronMain();
});

vi.mock('electron', () => ({
  app: fake.app,
  ipcMain: fake.ipcMain,
  session: fake.session,
  dialog: fake.dialog,
  protocol: fake.protocol,
  shell: fake.shell,
  BrowserWindow: {
    fromWebContents: (contents: unknown) => fake.windows.find((window) => window.webContents === contents) ?? null,
  },
}));

vi.mock('./window', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./window')>()),
  createMainWindow: vi.fn(({ appEntryUrl }: { appEntryUrl: string }) => {
    const window = new fake.FakeWindow(appEntryUrl);
    fake.windows.push(window);
    return window;
  }),
}));

// The window must never run an engine of its own again; mocked so that a regression shows here, not in Docker.
vi.mock('./engine/engine', () => ({ createEngine: vi.fn() }));

vi.mock('./engine/daemon/engine-launcher', () => ({
  connectEngine: vi.fn(async () => {
    if (fake.connectError) throw fake.connectError;
    return fake.connection;
  }),
  probeEngine: vi.fn(async () => null),
}));

const { createMainWindow } = await import('./window');
const { APP_SCHEME_PRIVILEGES } = await import('./app-protocol');
const { createEngine } = await import('./engine/engine');
const { connectEngine } = await import('./engine/daemon/engine-launcher');

const here = dirname(fileURLToPath(import.meta.url));
const BUILT_ENTRY = 'app://slipway/index.html';
const platform = process.platform;

const flush = () => new Promise((resolve) => setImmediate(resolve));

const callsNamed = (name: string) => fake.connection.transport.call.mock.calls.filter(([called]) => called === name);

/** Loads the entry afresh, as Electron would on launch. */
async function launch({ ready = true } = {}) {
  vi.resetModules();
  await import('./index');
  if (ready) {
    fake.app.becomeReady();
    await flush();
  }
}

function genuineCall(window: InstanceType<typeof fake.FakeWindow>) {
  return fake.handlers.get(IPC_CHANNELS.call)!(
    { sender: window.webContents, senderFrame: window.webContents.mainFrame },
    'system.info',
    {},
  );
}

beforeEach(() => {
  fake.resetAll();
  vi.mocked(createMainWindow).mockClear();
  vi.mocked(createEngine).mockClear();
  vi.mocked(connectEngine).mockClear();
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
});

afterEach(() => {
  Object.defineProperty(process, 'platform', { value: platform });
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the single-instance lock', () => {
  it('quits without creating a window or reaching the engine when another instance holds it', async () => {
    fake.app.hasLock = false;
    await launch();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(fake.app.quit).toHaveBeenCalledOnce();
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(connectEngine).not.toHaveBeenCalled();
    expect(createMainWindow).not.toHaveBeenCalled();
    expect(fake.ipcMain.handle).not.toHaveBeenCalled();
    expect(fake.app.listeners.size).toBe(0);
  });

  it('starts normally when it holds the lock', async () => {
    await launch();
    expect(fake.app.quit).not.toHaveBeenCalled();
    expect(createMainWindow).toHaveBeenCalledOnce();
  });

  it('brings the existing window back when a second instance starts', async () => {
    await launch();
    const window = fake.windows[0]!;
    window.minimized = true;
    fake.app.emit('second-instance', {}, [], '/');
    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
    expect(createMainWindow).toHaveBeenCalledOnce();
  });
});

describe('startup', () => {
  it('creates nothing before the app is ready, but gives app:// its privileges', async () => {
    await launch({ ready: false });
    expect(fake.app.enableSandbox).toHaveBeenCalledOnce();
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([APP_SCHEME_PRIVILEGES]);
    expect(fake.protocol.handle).not.toHaveBeenCalled();
    expect(connectEngine).not.toHaveBeenCalled();
    expect(createMainWindow).not.toHaveBeenCalled();
  });

  it('serves the renderer folder on app://, with the CSP, once ready', async () => {
    await launch();
    expect(fake.protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function));
    const serve = fake.protocol.handle.mock.calls[0]![1];
    const page = await serve(new Request(BUILT_ENTRY));
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(join(here, '../renderer/index.html'), 'utf8'));
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await serve(new Request('app://slipway/%2e%2e%2fmain%2findex.ts'))).status).toBe(404);
  });

  it('guards every web contents as it is made, and closes DevTools in a packaged build', async () => {
    fake.app.isPackaged = true;
    await launch({ ready: false });
    const contents = fake.otherContents();
    fake.app.emit('web-contents-created', {}, contents);
    const preventDefault = vi.fn();
    contents.emit('will-navigate', { preventDefault }, 'https://attacker.example/');
    expect(preventDefault).toHaveBeenCalledOnce();
    expect(contents.windowOpenHandler!({ url: 'https://docs.docker.com/' })).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://docs.docker.com/');
    expect(contents.session.setPermissionRequestHandler).toHaveBeenCalledOnce();
    contents.emit('devtools-opened');
    expect(contents.closeDevTools).toHaveBeenCalledOnce();
  });

  it('installs the CSP on the default session', async () => {
    await launch();
    const listener = fake.session.defaultSession.webRequest.onHeadersReceived.mock.calls[0]![0] as (
      details: object,
      callback: (response: unknown) => void,
    ) => void;
    const callback = vi.fn();
    listener({ responseHeaders: {} }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledOnce();
  });

  it("connects at once to the data folder's engine process, started from the bundled entry, and runs none itself", async () => {
    await launch();
    expect(connectEngine).toHaveBeenCalledExactlyOnceWith({
      dataDir: '/home/someone/.config/Slipway-userData',
      script: join(here, 'engine-daemon.js'),
      execPath: process.execPath,
    });
    // Before the window asks anything: the engine starts and reconciles while the window opens.
    expect(callsNamed('engine.status')).toEqual([['engine.status', {}]]);
    expect(createEngine).not.toHaveBeenCalled();
  });

  it('logs an engine that cannot start and still opens the window', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    await launch({ ready: false });
    // The error class as the freshly loaded entry knows it, so the relay keeps its message as the launcher's would.
    const { SlipwayError: FreshError } = await import('../shared/errors');
    fake.connectError = new FreshError('ENGINE_UNREACHABLE', 'The Slipway engine could not start (exit 1)');
    fake.app.becomeReady();
    await expect
      .poll(() => error.mock.calls)
      .toContainEqual(['Slipway could not reach its engine:', 'The Slipway engine could not start (exit 1)']);
    expect(createMainWindow).toHaveBeenCalledOnce();
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(fake.app.exit).not.toHaveBeenCalled();
  });

  it('opens the window on the built renderer with the built preload, DevTools only unpackaged', async () => {
    await launch();
    expect(createMainWindow).toHaveBeenCalledExactlyOnceWith({
      preloadPath: join(here, '../preload/index.js'),
      appEntryUrl: BUILT_ENTRY,
      devTools: true,
    });
    fake.resetAll();
    fake.app.isPackaged = true;
    await launch();
    expect(vi.mocked(createMainWindow).mock.calls[1]![0].devTools).toBe(false);
  });

  it('uses the dev server URL only when unpackaged', async () => {
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173');
    await launch();
    expect(vi.mocked(createMainWindow).mock.calls[0]![0].appEntryUrl).toBe('http://localhost:5173/');

    fake.app.reset();
    vi.mocked(createMainWindow).mockClear();
    fake.app.isPackaged = true;
    await launch();
    expect(vi.mocked(createMainWindow).mock.calls[0]![0].appEntryUrl).toBe(BUILT_ENTRY);
  });

  it('says why and exits when the window cannot be set up', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    fake.session.defaultSession.webRequest.onHeadersReceived.mockImplementationOnce(() => {
      throw new Error('session is gone');
    });
    await launch();
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith('Slipway could not start', 'session is gone');
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(createMainWindow).not.toHaveBeenCalled();
  });
});

describe('IPC wiring', () => {
  it("relays calls from the window's main frame to the engine process", async () => {
    await launch();
    await expect(genuineCall(fake.windows[0]!)).resolves.toEqual(ok('pong'));
    expect(callsNamed('system.info')).toEqual([['system.info', {}]]);
    expect(connectEngine).toHaveBeenCalledOnce();
  });

  it('refuses a subframe, another webContents, and the main frame of a closed window', async () => {
    await launch();
    const window = fake.windows[0]!;
    const call = fake.handlers.get(IPC_CHANNELS.call)!;
    const forbidden = { ok: false, error: { code: 'FORBIDDEN_SENDER' } };

    const subframe = { url: BUILT_ENTRY };
    await expect(call({ sender: window.webContents, senderFrame: subframe }, 'system.info', {})).resolves.toMatchObject(
      forbidden,
    );
    const other = new fake.FakeWindow(BUILT_ENTRY);
    await expect(genuineCall(other)).resolves.toMatchObject(forbidden);

    window.emit('closed');
    await expect(genuineCall(window)).resolves.toMatchObject(forbidden);
    expect(callsNamed('system.info')).toEqual([]);
  });

  it('trusts the new window, not the old one, after macOS re-opens it', async () => {
    await launch();
    const first = fake.windows[0]!;
    first.emit('closed');
    fake.app.emit('activate');
    const second = fake.windows[1]!;
    expect(createMainWindow).toHaveBeenCalledTimes(2);
    await expect(genuineCall(second)).resolves.toEqual(ok('pong'));
    await expect(genuineCall(first)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});

describe('the folder picker', () => {
  const pick = (window: InstanceType<typeof fake.FakeWindow>, frame: unknown = window.webContents.mainFrame) =>
    fake.handlers.get(DESKTOP_IPC_CHANNELS.pickFolder)!(
      { sender: window.webContents, senderFrame: frame },
      { title: 'Source folder' },
    );

  it("opens over the app's window for its main frame", async () => {
    await launch();
    const window = fake.windows[0]!;
    await expect(pick(window)).resolves.toEqual(ok('/home/someone/web'));
    expect(fake.dialog.showOpenDialog).toHaveBeenCalledExactlyOnceWith(window, {
      title: 'Source folder',
      properties: ['openDirectory', 'createDirectory'],
    });
  });

  it('refuses a subframe and a closed window, like the contract calls', async () => {
    await launch();
    const window = fake.windows[0]!;
    const forbidden = { ok: false, error: { code: 'FORBIDDEN_SENDER' } };
    await expect(pick(window, { url: BUILT_ENTRY })).resolves.toMatchObject(forbidden);
    window.emit('closed');
    await expect(pick(window)).resolves.toMatchObject(forbidden);
    expect(fake.dialog.showOpenDialog).not.toHaveBeenCalled();
  });
});

describe('shutdown', () => {
  it('quits when the last window closes, except on macOS', async () => {
    await launch();
    Object.defineProperty(process, 'platform', { value: 'linux' });
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).toHaveBeenCalledOnce();

    fake.app.quit.mockClear();
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).not.toHaveBeenCalled();
  });

  it('closes only its connection to the engine when quitting, and does not hold the quit', async () => {
    await launch();
    const quitting = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', quitting);
    expect(quitting.preventDefault).not.toHaveBeenCalled();
    await expect.poll(() => fake.connection.close).toHaveBeenCalledOnce();
    expect(callsNamed('engine.stop')).toEqual([]);
  });
});

describe('closing the window', () => {
  it('closes at once when nothing deploys', async () => {
    await launch();
    const window = fake.windows[0]!;
    const event = window.tryClose();
    expect(event.preventDefault).toHaveBeenCalledOnce();
    await expect.poll(() => window.destroyed).toBe(true);
    expect(fake.dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('says over the window which apps keep deploying, and closes on "keep"', async () => {
    await launch();
    fake.answerDeploying(['shop', 'blog']);
    const window = fake.windows[0]!;
    window.tryClose();
    await expect.poll(() => window.destroyed).toBe(true);
    expect(fake.dialog.showMessageBox).toHaveBeenCalledExactlyOnceWith(
      window,
      expect.objectContaining({ message: 'Slipway keeps deploying shop, blog in the background' }),
    );
    expect(callsNamed('apps.cancel')).toEqual([]);
  });

  it('cancels the deployments before closing on "cancel"', async () => {
    await launch();
    fake.answerDeploying(['shop']);
    fake.dialog.showMessageBox.mockResolvedValue({ response: 1 });
    const window = fake.windows[0]!;
    window.tryClose();
    await expect.poll(() => window.destroyed).toBe(true);
    expect(callsNamed('apps.cleanQueue')).toEqual([['apps.cleanQueue', { app: 'shop', by: 'desktop' }]]);
    expect(callsNamed('apps.cancel')).toEqual([['apps.cancel', { app: 'shop', by: 'desktop' }]]);
  });

  it('finishes a quit it held once the window may close', async () => {
    await launch();
    fake.app.emit('before-quit', { preventDefault: vi.fn() });
    fake.windows[0]!.tryClose();
    await expect.poll(() => fake.app.quit).toHaveBeenCalledOnce();
    expect(fake.windows[0]!.destroyed).toBe(true);
  });

  it('stays open on "stay" and forgets the quit that asked', async () => {
    await launch();
    fake.answerDeploying(['shop']);
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 2 });
    const window = fake.windows[0]!;
    fake.app.emit('before-quit', { preventDefault: vi.fn() });
    window.tryClose();
    await expect.poll(() => fake.dialog.showMessageBox).toHaveBeenCalledOnce();
    // What follows the answer is promise callbacks only, all run by the next turn.
    await flush();
    expect(window.destroyed).toBe(false);

    // The next close asks again; once the deployment is done it closes, and the forgotten quit stays forgotten.
    fake.answer = fake.idleAnswer;
    window.tryClose();
    await expect.poll(() => window.destroyed).toBe(true);
    expect(fake.dialog.showMessageBox).toHaveBeenCalledOnce();
    expect(fake.app.quit).not.toHaveBeenCalled();
  });
});
