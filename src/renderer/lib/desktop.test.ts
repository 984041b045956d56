import { describe, expect, it } from 'vitest';
import { DESKTOP_BRIDGE_GLOBAL } from '../../shared/desktop-bridge';
import { desktopBridge } from './desktop';

const asWindow = (globals: Record<string, unknown>) => globals as unknown as Window;

describe('desktopBridge', () => {
  it('is the bridge the preload exposed, in the desktop app', () => {
    const bridge = { pickFolder: async () => null };
    expect(desktopBridge(asWindow({ [DESKTOP_BRIDGE_GLOBAL]: bridge }))).toBe(bridge);
  });

  it('is undefined in a browser, where nothing is exposed', () => {
    expect(desktopBridge(asWindow({}))).toBeUndefined();
  });

  it.each([null, 'slipway', { pickFolder: '/home' }])('is undefined for a global that is not a bridge: %j', (value) => {
    expect(desktopBridge(asWindow({ [DESKTOP_BRIDGE_GLOBAL]: value }))).toBeUndefined();
  });
});
