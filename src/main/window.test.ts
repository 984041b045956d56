import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

  class FakeWebContents extends Emitter {}

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
  };
});

vi.mock('electron', () => ({
  BrowserWindow: fake.FakeBrowserWindow,
  nativeTheme: fake.nativeTheme,
}));

const PRELOAD = '/opt/Slipway/out/preload/index.js';
const APP_ENTRY = 'app://slipway/index.html';
const DEV_ENTRY = 'http://localhost:5173/';

function open(appEntryUrl = APP_ENTRY, devTools = false) {
  createMainWindow({ preloadPath: PRELOAD, appEntryUrl, devTools });
  expect(fake.FakeBrowserWindow.instances).toHaveLength(1);
  return fake.FakeBrowserWindow.instances[0]!;
}

beforeEach(() => {
  fake.FakeBrowserWindow.instances = [];
  fake.FakeBrowserWindow.loadError = null;
  fake.nativeTheme.shouldUseDarkColors = false;
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
      devTools: false,
      preload: PRELOAD,
    });
  });

  it('lets DevTools open only when asked (unpackaged)', () => {
    expect(open(APP_ENTRY, true).options.webPreferences).toMatchObject({ devTools: true });
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

  it('loads the built renderer from app://, never from a file', () => {
    const window = open();
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith(APP_ENTRY);
    expect(window.loadFile).not.toHaveBeenCalled();
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
});

describe('rendererEntryUrl', () => {
  it('is the built renderer on app:// without a dev server', () => {
    expect(rendererEntryUrl({})).toBe(APP_ENTRY);
    expect(rendererEntryUrl({ devServerUrl: '' })).toBe(APP_ENTRY);
  });

  it("is the dev server's URL when it is http(s)", () => {
    expect(rendererEntryUrl({ devServerUrl: 'http://localhost:5173' })).toBe(DEV_ENTRY);
  });

  it('ignores a dev server URL that is not http(s) or not a URL', () => {
    for (const devServerUrl of ['file:///tmp/evil.html', 'javascript:alert(1)', 'not a url']) {
      expect(rendererEntryUrl({ devServerUrl }), devServerUrl).toBe(APP_ENTRY);
    }
  });
});
