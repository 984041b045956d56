import { describe, expect, it } from 'vitest';
import { checkSocketPath, enginePaths } from './engine-paths';

describe('enginePaths', () => {
  it('puts the socket, token and log in the data folder', () => {
    expect(enginePaths('/home/ana/.config/Slipway', 'linux')).toEqual({
      dataDir: '/home/ana/.config/Slipway',
      socket: '/home/ana/.config/Slipway/engine.sock',
      token: '/home/ana/.config/Slipway/engine.token',
      log: '/home/ana/.config/Slipway/logs/engine-process.log',
    });
  });

  it('names one pipe per data folder on Windows', () => {
    const a = enginePaths('C:\\Users\\ana\\AppData\\Roaming\\Slipway', 'win32').socket;
    const b = enginePaths('C:\\Users\\bo\\AppData\\Roaming\\Slipway', 'win32').socket;
    expect(a).toMatch(/^\\\\\.\\pipe\\slipway-engine-[0-9a-f]{24}$/);
    expect(a).not.toBe(b);
  });

  it('refuses a socket path the OS cannot bind, saying to shorten SLIPWAY_HOME', () => {
    expect(() => checkSocketPath(enginePaths(`/tmp/${'x'.repeat(120)}`, 'linux'), 'linux')).toThrow(/SLIPWAY_HOME/);
    expect(() => checkSocketPath(enginePaths('/tmp/short', 'linux'), 'linux')).not.toThrow();
  });
});
