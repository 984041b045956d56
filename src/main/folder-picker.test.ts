import { describe, expect, it, vi } from 'vitest';
import { DESKTOP_IPC_CHANNELS } from '../shared/desktop-bridge';
import { ok } from '../shared/rpc/envelope';
import { registerFolderPicker, type FolderPickerOptions } from './folder-picker';
import { isTrustedSender, type TrustedWindow } from './security';

// Everything Electron gives the picker is injected; fail loudly if folder-picker.ts ever reaches for the real thing.
vi.mock('electron', () => ({}));

const APP_ENTRY = 'app://slipway/index.html';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function setUp({ answer = { canceled: false, filePaths: ['/home/someone/projects/web'] } } = {}) {
  const contents = { mainFrame: { url: APP_ENTRY } };
  const window: TrustedWindow = { isDestroyed: () => false, webContents: contents };
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  const dialog = { showOpenDialog: vi.fn(async (..._args: unknown[]) => answer) };
  const windowOf = vi.fn((sender: unknown) => (sender === contents ? window : null));
  const unregister = registerFolderPicker({
    ipcMain: ipcMain as unknown as FolderPickerOptions['ipcMain'],
    dialog: dialog as unknown as FolderPickerOptions['dialog'],
    windowOf: windowOf as unknown as FolderPickerOptions['windowOf'],
    isTrustedSender: (event) => isTrustedSender(event, window, APP_ENTRY),
  });
  const genuine = { sender: contents, senderFrame: contents.mainFrame };
  return {
    contents,
    window,
    dialog,
    windowOf,
    handlers,
    unregister,
    genuine,
    pick: (request: unknown, event: unknown = genuine) =>
      handlers.get(DESKTOP_IPC_CHANNELS.pickFolder)!(event, request),
  };
}

const forbidden = { ok: false, error: { code: 'FORBIDDEN_SENDER' } };
const invalid = { ok: false, error: { code: 'INVALID_REQUEST' } };

describe('the folder picker', () => {
  it("returns the chosen folder, from a picker modal to the sender's window", async () => {
    const picker = setUp();
    await expect(picker.pick({ title: 'Source folder', defaultPath: '/home/someone/projects' })).resolves.toEqual(
      ok('/home/someone/projects/web'),
    );
    expect(picker.windowOf).toHaveBeenCalledExactlyOnceWith(picker.contents);
    expect(picker.dialog.showOpenDialog).toHaveBeenCalledExactlyOnceWith(picker.window, {
      title: 'Source folder',
      defaultPath: '/home/someone/projects',
      properties: ['openDirectory', 'createDirectory'],
    });
  });

  it('passes no default path when none was asked for', async () => {
    const picker = setUp();
    await picker.pick({ title: 'Source folder' });
    expect(picker.dialog.showOpenDialog.mock.calls[0]![1]).toStrictEqual({
      title: 'Source folder',
      properties: ['openDirectory', 'createDirectory'],
    });
  });

  it('returns null when the user cancels', async () => {
    const picker = setUp({ answer: { canceled: true, filePaths: [] } });
    await expect(picker.pick({ title: 'Source folder' })).resolves.toEqual(ok(null));
  });

  it('returns null when the picker closes with nothing chosen', async () => {
    const picker = setUp({ answer: { canceled: false, filePaths: [] } });
    await expect(picker.pick({ title: 'Source folder' })).resolves.toEqual(ok(null));
  });

  it('refuses a subframe, another webContents, and a main frame that left the app, without opening a picker', async () => {
    const picker = setUp();
    const request = { title: 'Source folder' };
    await expect(
      picker.pick(request, { sender: picker.contents, senderFrame: { url: APP_ENTRY } }),
    ).resolves.toMatchObject(forbidden);
    const other = { mainFrame: { url: APP_ENTRY } };
    await expect(picker.pick(request, { sender: other, senderFrame: other.mainFrame })).resolves.toMatchObject(
      forbidden,
    );
    await expect(picker.pick(request, { sender: picker.contents, senderFrame: null })).resolves.toMatchObject(
      forbidden,
    );
    picker.contents.mainFrame.url = 'https://attacker.example/';
    await expect(picker.pick(request)).resolves.toMatchObject(forbidden);
    expect(picker.dialog.showOpenDialog).not.toHaveBeenCalled();
  });

  it('refuses a trusted sender that has no window to attach the picker to', async () => {
    const picker = setUp();
    picker.windowOf.mockReturnValue(null);
    await expect(picker.pick({ title: 'Source folder' })).resolves.toMatchObject(forbidden);
    expect(picker.dialog.showOpenDialog).not.toHaveBeenCalled();
  });

  it.each([
    ['no request', undefined],
    ['null', null],
    ['a bare path', '/etc'],
    ['no title', { defaultPath: '/home' }],
    ['an empty title', { title: '' }],
    ['a title too long for a dialog', { title: 'x'.repeat(201) }],
    ['a default path that is not a string', { title: 'Pick', defaultPath: { toString: '/etc' } }],
    ['a NUL in the title', { title: 'Pick\0' }],
    // The renderer does not get to choose the dialog's features.
    ['its own dialog properties', { title: 'Pick', properties: ['openFile', 'multiSelections', 'showHiddenFiles'] }],
  ])('refuses %s from the app itself, without opening a picker', async (_what, request) => {
    const picker = setUp();
    await expect(picker.pick(request)).resolves.toMatchObject(invalid);
    expect(picker.dialog.showOpenDialog).not.toHaveBeenCalled();
  });

  it('reports a failing dialog as INTERNAL, without its message', async () => {
    const picker = setUp();
    picker.dialog.showOpenDialog.mockRejectedValue(new Error('GTK failed at /home/someone/.cache/secret'));
    const answer = await picker.pick({ title: 'Source folder' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(answer)).not.toContain('/home/someone');
  });

  it('unregisters its channel', () => {
    const picker = setUp();
    picker.unregister();
    expect(picker.handlers.has(DESKTOP_IPC_CHANNELS.pickFolder)).toBe(false);
  });
});
