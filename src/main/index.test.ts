import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import { ok } from '../shared/rpc/envelope';
import { DESKTOP_IPC_CHANNELS } from '../shared/desktop-bridge';
import { IPC_CHANNELS } from '../shared/rpc/preload-bridge';

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;

  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args);
    }
  }

  class FakeApp extends Emitter {
    hasLock = true;
    isPackaged = false;
    private ready!: { resolve: () => void; promise: Promise<void> };
    constructor() {
      super();
      this.reset();
    }
    reset() {
      this.listeners.clear();
      this.hasLock = true;
      this.isPackaged = false;
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.ready = { resolve, promise };
      this.requestSingleInstanceLock.mockClear();
      this.quit.mockClear();
      this.exit.mockClear();
      this.enableSandbox.mockClear();
      this.whenReady.mockClear();
    }
    becomeReady() {
      this.ready.resolve();
    }
    requestSingleInstanceLock = vi.fn(() => this.hasLock);
    quit = vi.fn();
    exit = vi.fn();
    enableSandbox = vi.fn();
    whenReady = vi.fn(() => this.ready.promise);
    getPath = vi.fn((name: string) => `/home/someone/.config/Slipway-${name}`);
  }

  class FakeWindow extends Emitter {
    readonly webContents;
    destroyed = false;
    minimized = false;
    isDestroyed = () => this.destroyed;
    isMinimized = () => this.minimized;
    restore = vi.fn(() => void (this.minimized = false));
    show = vi.fn();
    focus = vi.fn();
    constructor(url: string) {
      super();
      this.webContents = { mainFrame: { url }, once: vi.fn(), isDestroyed: () => false, send: vi.fn() };
    }
  }

  type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
  const handlers = new Map<string, Handler>();

  return {
    app: new FakeApp(),
    FakeWindow,
    handlers,
    ipcMain: {
      handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
      on: vi.fn(),
      removeHandler: vi.fn(),
      removeListener: vi.fn(),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    dialog: {
      showErrorBox: vi.fn(),
      showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: false, filePaths: ['/home/someone/web'] })),
    },
    windows: [] as InstanceType<typeof FakeWindow>[],
    engine: {
      router: { call: vi.fn(async () => ({ ok: true, data: 'pong' })), subscribe: vi.fn() },
      start: vi.fn(async () => {}),
      close: vi.fn(async () => {}),
    },
    engineError: null as Error | null,
  };
});

vi.mock('electron', () => ({
  app: fake.app,
  ipcMain: fake.ipcMain,
  session: fake.session,
  dialog: fake.dialog,
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

vi.mock('./engine/engine', () => ({
  createEngine: vi.fn(() => {
    if (fake.engineError) throw fake.engineError;
    return fake.engine;
  }),
}));

const { createMainWindow } = await import('./window');
const { createEngine } = await import('./engine/engine');

const here = dirname(fileURLToPath(import.meta.url));
const BUILT_ENTRY = pathToFileURL(join(here, '../renderer/index.html')).href;
const platform = process.platform;

const flush = () => new Promise((resolve) => setImmediate(resolve));

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
  fake.app.reset();
  fake.handlers.clear();
  fake.windows.length = 0;
  fake.engineError = null;
  vi.mocked(createMainWindow).mockClear();
  vi.mocked(createEngine).mockClear();
  fake.ipcMain.handle.mockClear();
  fake.engine.router.call.mockClear();
  fake.engine.close.mockReset().mockResolvedValue(undefined);
  fake.engine.start.mockClear();
  fake.session.defaultSession.webRequest.onHeadersReceived.mockClear();
  fake.session.defaultSession.setPermissionRequestHandler.mockClear();
  fake.dialog.showErrorBox.mockClear();
  fake.dialog.showOpenDialog.mockClear();
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
});

afterEach(() => {
  Object.defineProperty(process, 'platform', { value: platform });
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the single-instance lock', () => {
  it('quits without creating a window or an engine when another instance holds it', async () => {
    fake.app.hasLock = false;
    await launch();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(fake.app.quit).toHaveBeenCalledOnce();
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(createEngine).not.toHaveBeenCalled();
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
  it('creates nothing before the app is ready', async () => {
    await launch({ ready: false });
    expect(fake.app.enableSandbox).toHaveBeenCalledOnce();
    expect(createEngine).not.toHaveBeenCalled();
    expect(createMainWindow).not.toHaveBeenCalled();
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

  it('opens the window on the built renderer with the built preload', async () => {
    await launch();
    expect(createEngine).toHaveBeenCalledExactlyOnceWith({
      dataDir: '/home/someone/.config/Slipway-userData',
      edgeProcess: { script: join(here, 'edge-daemon.js') },
    });
    expect(fake.engine.start).toHaveBeenCalledOnce();
    expect(createMainWindow).toHaveBeenCalledExactlyOnceWith({
      preloadPath: join(here, '../preload/index.js'),
      appEntryUrl: BUILT_ENTRY,
    });
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

  it('says why and exits when the engine cannot be created', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    fake.engineError = new Error('DOCKER_HOST is malformed');
    await launch();
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith('Slipway could not start', 'DOCKER_HOST is malformed');
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(createMainWindow).not.toHaveBeenCalled();
  });
});

describe('IPC wiring', () => {
  it("routes calls from the window's main frame to the engine", async () => {
    await launch();
    await expect(genuineCall(fake.windows[0]!)).resolves.toEqual(ok('pong'));
    expect(fake.engine.router.call).toHaveBeenCalledExactlyOnceWith('system.info', {});
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
    expect(fake.engine.router.call).not.toHaveBeenCalled();
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

  it('holds the quit until the engine has closed, then quits for real', async () => {
    await launch();
    let finishClosing!: () => void;
    fake.engine.close.mockImplementation(() => new Promise<void>((resolve) => (finishClosing = resolve)));

    const first = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', first);
    expect(first.preventDefault).toHaveBeenCalledOnce();
    expect(fake.engine.close).toHaveBeenCalledOnce();

    const impatient = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', impatient);
    expect(impatient.preventDefault).toHaveBeenCalledOnce();
    expect(fake.engine.close).toHaveBeenCalledOnce();
    expect(fake.app.quit).not.toHaveBeenCalled();

    finishClosing();
    await flush();
    expect(fake.app.quit).toHaveBeenCalledOnce();
    const last = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('still quits when closing the engine fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await launch();
    fake.engine.close.mockRejectedValue(new Error('ssh gone'));
    fake.app.emit('will-quit', { preventDefault: vi.fn() });
    await flush();
    expect(fake.app.quit).toHaveBeenCalledOnce();
  });

  it('does not wait forever for an engine that never closes', async () => {
    await launch();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      fake.engine.close.mockImplementation(() => new Promise<void>(() => {}));
      fake.app.emit('will-quit', { preventDefault: vi.fn() });
      await vi.advanceTimersByTimeAsync(4_000);
      expect(fake.app.quit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1_500);
      expect(fake.app.quit).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });
});
