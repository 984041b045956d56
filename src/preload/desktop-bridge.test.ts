import { describe, expect, it, vi } from 'vitest';
import { DESKTOP_IPC_CHANNELS } from '../shared/desktop-bridge';
import { fail, ok } from '../shared/rpc/envelope';
import { createDesktopBridge } from './desktop-bridge';

// The bridge is built from an injected ipcRenderer; it must never need the real Electron binary.
vi.mock('electron', () => ({}));

function setUp(answer: unknown = ok('/home/someone/projects/web')) {
  const invoke = vi.fn(async (_channel: string, ..._args: unknown[]) => answer);
  return { invoke, bridge: createDesktopBridge({ invoke }) };
}

describe('createDesktopBridge().pickFolder', () => {
  it('sends a valid request on the picker channel and resolves with the chosen folder', async () => {
    const { invoke, bridge } = setUp();
    await expect(bridge.pickFolder({ title: 'Source folder', defaultPath: '/home/someone' })).resolves.toBe(
      '/home/someone/projects/web',
    );
    expect(invoke).toHaveBeenCalledExactlyOnceWith(DESKTOP_IPC_CHANNELS.pickFolder, {
      title: 'Source folder',
      defaultPath: '/home/someone',
    });
  });

  it('resolves with null when the user cancels', async () => {
    const { bridge } = setUp(ok(null));
    await expect(bridge.pickFolder({ title: 'Source folder' })).resolves.toBeNull();
  });

  it.each([
    ['no request', undefined],
    ['null', null],
    ['a string', '/etc'],
    ['no title', { defaultPath: '/home' }],
    ['an empty title', { title: '' }],
    ['a title too long for a dialog', { title: 'x'.repeat(201) }],
    ['a title that is not a string', { title: 42 }],
    ['a default path that is not a string', { title: 'Pick', defaultPath: ['/home'] }],
    ['a default path longer than any path', { title: 'Pick', defaultPath: `/${'a'.repeat(4096)}` }],
    ['a NUL in the default path', { title: 'Pick', defaultPath: '/home\0/etc' }],
    ['an unknown field', { title: 'Pick', properties: ['openFile', 'multiSelections'] }],
  ])('refuses %s without reaching IPC', async (_what, request) => {
    const { invoke, bridge } = setUp();
    await expect(bridge.pickFolder(request as never)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('rejects with the error the main process answered', async () => {
    const { bridge } = setUp(
      fail({ code: 'FORBIDDEN_SENDER', message: 'Slipway only answers calls from its own window.' }),
    );
    await expect(bridge.pickFolder({ title: 'Source folder' })).rejects.toMatchObject({
      name: 'SlipwayError',
      code: 'FORBIDDEN_SENDER',
    });
  });
});
