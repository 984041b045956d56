import { vi } from 'vitest';
import type { AppSummary } from '../../src/shared/domains/apps';
import { SlipwayError } from '../../src/shared/errors';
import { fail, ok, toErrorPayload, type Envelope } from '../../src/shared/rpc/envelope';

/** An engine with nothing in flight. */
const idleAnswer = (name: string): Envelope<unknown> | undefined =>
  name === 'system.info' ? ok('pong') : name === 'engine.status' ? ok({ inFlight: 0 }) : undefined;

const busy = (name: string): Partial<AppSummary> => ({
  name,
  status: 'deploying',
  activeDeployment: { id: `${name}000001`, cause: 'manual', phase: 'DEPLOYING' },
});

/**
 * Stand-ins for what src/main/index.ts takes from Electron (app, ipcMain,
 * session, dialog, windows) and for its connection to the engine process:
 * the shell's tests drive them and read what it did.
 */
export function createFakeElectronMain() {
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
    /** Like Electron: a close emits 'close', and the window goes unless a listener prevented it. */
    close = vi.fn(() => void this.tryClose());
    tryClose() {
      const event = { preventDefault: vi.fn() };
      this.emit('close', event);
      if (event.preventDefault.mock.calls.length === 0) {
        this.destroyed = true;
        this.emit('closed');
      }
      return event;
    }
    constructor(url: string) {
      super();
      this.webContents = { mainFrame: { url }, once: vi.fn(), isDestroyed: () => false, send: vi.fn() };
    }
  }

  type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
  const handlers = new Map<string, Handler>();

  const fakeMain = {
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
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn((_scheme: string, _handler: (request: Request) => Promise<Response>) => {}),
    },
    shell: { openExternal: vi.fn(async (_url: string) => {}) },
    /** A web contents that is not the main window's, as `web-contents-created` hands it over. */
    otherContents() {
      return Object.assign(new Emitter(), {
        windowOpenHandler: undefined as ((details: { url: string }) => unknown) | undefined,
        setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
          this.windowOpenHandler = handler;
        },
        closeDevTools: vi.fn(),
        session: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
      });
    },
    dialog: {
      showErrorBox: vi.fn(),
      showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: false, filePaths: ['/home/someone/web'] })),
      showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0 })),
    },
    windows: [] as InstanceType<typeof FakeWindow>[],
    /** The engine process, as the window's connection to it sees it; answers by method name. */
    connection: {
      transport: {
        call: vi.fn(async (name: string, _request: unknown): Promise<unknown> => fakeMain.answer(name)),
        subscribe: vi.fn(),
      },
      engine: { pid: 4242, version: '0.1.0' },
      closed: new Promise<void>(() => {}),
      close: vi.fn(),
    },
    answer: idleAnswer as (name: string) => unknown,
    idleAnswer,
    /** The engine has deployments in flight for these apps. */
    answerDeploying(apps: string[]) {
      fakeMain.answer = (name) => {
        if (name === 'engine.status') return ok({ inFlight: apps.length });
        if (name === 'apps.list') return ok(apps.map(busy));
        if (name === 'apps.cleanQueue') return ok({ dropped: [] });
        if (name === 'apps.cancel') return ok({});
        return fail(toErrorPayload(new SlipwayError('UNKNOWN_METHOD', name)));
      };
    },
    connectError: null as Error | null,
    /** Forgets every call and listener of the previous launch; the engine is idle again. */
    resetAll() {
      fakeMain.app.reset();
      handlers.clear();
      fakeMain.windows.length = 0;
      fakeMain.connectError = null;
      fakeMain.answer = idleAnswer;
      const mocks = [
        fakeMain.ipcMain.handle,
        fakeMain.connection.transport.call,
        fakeMain.connection.close,
        fakeMain.session.defaultSession.webRequest.onHeadersReceived,
        fakeMain.session.defaultSession.setPermissionRequestHandler,
        fakeMain.protocol.registerSchemesAsPrivileged,
        fakeMain.protocol.handle,
        fakeMain.shell.openExternal,
        fakeMain.dialog.showErrorBox,
        fakeMain.dialog.showOpenDialog,
      ];
      for (const mock of mocks) mock.mockClear();
      fakeMain.dialog.showMessageBox.mockReset().mockResolvedValue({ response: 0 });
    },
  };
  return fakeMain;
}
