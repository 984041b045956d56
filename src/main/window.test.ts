import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMainWindow, rendererEntryUrl, WINDOW_BACKGROUND } from './window';

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;

  class Emitter {
    private readonly listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener) {
      const wrapped: Listener = (...args) => {
        this.listeners.set(
          name,
          (this.listeners.get(name) ?? []).filter((l) => l !== wrapped),
        );
        listener(...args);
      };
      return this.on(name, wrapped);
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args);
    }
  }

  class FakeWebContents extends Emitter {
    windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
    setWindowOpenHandler = (handler: (details: { url: string }) => unknown) => {
      this.windowOpenHandler = handler;
    };
  }

  class FakeBrowserWindow extends Emitter {
    static instances: FakeBrowserWindow[] = [];
    static loadError: Error | null = null;
    readonly webContents = new FakeWebContents();
    show = vi.fn();
    loadURL = vi.fn(async (_url: string) => FakeBrowserWindow.loaded());
    loadFile = vi.fn(async (_path: string) => FakeBrowserWindow.loaded());
    private static loaded(): Promise<void> {
      return FakeBrowserWindow.loadError ? Promise.reject(FakeBrowserWindow.loadError) : Promise.resolve();
    }
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.instances.push(this);
    }
  }

  return {
    FakeBrowserWindow,
    nativeTheme: { shouldUseDarkColors: false },
    shell: { openExternal: vi.fn(async (_url: string) => {}) },
  };
});

vi.mock('electron', () => ({
  BrowserWindow: fake.FakeBrowserWindow,
  nativeTheme: fake.nativeTheme,
  shell: fake.shell,
}));

const PRELOAD = '/opt/Slipway/out/preload/index.js';
const INDEX_HTML = '/opt/Slipway/out/renderer/index.html';
const FILE_ENTRY = pathToFileURL(INDEX_HTML).href;
const DEV_ENTRY = 'http://localhost:5173/';

function open(appEntryUrl = FILE_ENTRY) {
  createMainWindow({ preloadPath: PRELOAD, appEntryUrl });
  expect(fake.FakeBrowserWindow.instances).toHaveLength(1);
  return fake.FakeBrowserWindow.instances[0]!;
}

function navigate(window: InstanceType<typeof fake.FakeBrowserWindow>, event: string, url: string): boolean {
  const preventDefault = vi.fn();
  window.webContents.emit(event, { preventDefault }, url);
  return preventDefault.mock.calls.length > 0;
}

beforeEach(() => {
  fake.FakeBrowserWindow.instances = [];
  fake.FakeBrowserWindow.loadError = null;
  fake.nativeTheme.shouldUseDarkColors = false;
  fake.shell.openExternal.mockClear();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createMainWindow', () => {
  it('creates one hidden Slipway window with exactly the secure web preferences', () => {
    const window = open();
    expect(window.options).toMatchObject({ title: 'Slipway', show: false });
    expect(window.options.width).toBeGreaterThanOrEqual(1024);
    expect(window.options.minWidth).toBeLessThanOrEqual(window.options.width as number);
    expect(window.options.webPreferences).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: PRELOAD,
    });
  });

  it("paints its background in the system theme's colour", () => {
    expect(open().options.backgroundColor).toBe(WINDOW_BACKGROUND.light);
    fake.FakeBrowserWindow.instances = [];
    fake.nativeTheme.shouldUseDarkColors = true;
    expect(open().options.backgroundColor).toBe(WINDOW_BACKGROUND.dark);
  });

  it("uses the renderer's own page backgrounds, light then dark", () => {
    const css = readFileSync(fileURLToPath(new URL('../renderer/styles.css', import.meta.url)), 'utf8');
    const backgrounds = [...css.matchAll(/--bg:\s*(#[0-9a-f]{3,8})\s*;/gi)].map((match) => match[1]!.toLowerCase());
    expect(backgrounds.slice(0, 2)).toEqual([WINDOW_BACKGROUND.light, WINDOW_BACKGROUND.dark]);
  });

  it('shows the window only once it is ready to show', () => {
    const window = open();
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledOnce();
  });

  it('loads the built renderer from its file', () => {
    const window = open();
    expect(window.loadFile).toHaveBeenCalledExactlyOnceWith(INDEX_HTML);
    expect(window.loadURL).not.toHaveBeenCalled();
  });

  it("loads the dev server's URL in development", () => {
    const window = open(DEV_ENTRY);
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith(DEV_ENTRY);
    expect(window.loadFile).not.toHaveBeenCalled();
  });

  it('logs a failed load instead of leaving an unhandled rejection', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    fake.FakeBrowserWindow.loadError = new Error('ERR_FILE_NOT_FOUND');
    open();
    await vi.waitFor(() => expect(error).toHaveBeenCalledWith(expect.any(String), fake.FakeBrowserWindow.loadError));
  });

  it('prevents navigation away from the app, on will-navigate and will-redirect', () => {
    const window = open();
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(navigate(window, event, 'https://attacker.example/'), event).toBe(true);
      expect(navigate(window, event, 'file:///etc/passwd'), event).toBe(true);
      expect(navigate(window, event, 'javascript:alert(1)'), event).toBe(true);
    }
  });

  it('lets the app navigate within itself', () => {
    const window = open();
    expect(navigate(window, 'will-navigate', FILE_ENTRY)).toBe(false);
    expect(navigate(window, 'will-navigate', `${FILE_ENTRY}#/apps`)).toBe(false);
    fake.FakeBrowserWindow.instances = [];
    const dev = open(DEV_ENTRY);
    expect(navigate(dev, 'will-navigate', 'http://localhost:5173/apps')).toBe(false);
    expect(navigate(dev, 'will-navigate', 'http://localhost:9999/')).toBe(true);
  });

  it('prevents attaching a webview', () => {
    const window = open();
    const preventDefault = vi.fn();
    window.webContents.emit('will-attach-webview', { preventDefault }, {}, {});
    expect(preventDefault).toHaveBeenCalledOnce();
  });

  it('denies every window.open and hands only http(s) links to the browser', () => {
    const handler = open().webContents.windowOpenHandler!;
    expect(handler).toBeTypeOf('function');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'slipway://x', 'ftp://host/']) {
      expect(handler({ url }), url).toEqual({ action: 'deny' });
    }
    expect(fake.shell.openExternal).not.toHaveBeenCalled();
    expect(handler({ url: 'https://docs.docker.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'http://127.0.0.1:8080/' })).toEqual({ action: 'deny' });
    expect(fake.shell.openExternal.mock.calls).toEqual([['https://docs.docker.com/'], ['http://127.0.0.1:8080/']]);
  });
});

describe('rendererEntryUrl', () => {
  it('is the built index.html as a file:// URL without a dev server', () => {
    expect(rendererEntryUrl({ indexHtmlPath: INDEX_HTML })).toBe(FILE_ENTRY);
    expect(rendererEntryUrl({ devServerUrl: '', indexHtmlPath: INDEX_HTML })).toBe(FILE_ENTRY);
  });

  it("is the dev server's URL when it is http(s)", () => {
    expect(rendererEntryUrl({ devServerUrl: 'http://localhost:5173', indexHtmlPath: INDEX_HTML })).toBe(DEV_ENTRY);
  });

  it('ignores a dev server URL that is not http(s) or not a URL', () => {
    for (const devServerUrl of ['file:///tmp/evil.html', 'javascript:alert(1)', 'not a url']) {
      expect(rendererEntryUrl({ devServerUrl, indexHtmlPath: INDEX_HTML }), devServerUrl).toBe(FILE_ENTRY);
    }
  });
});
