import os from 'node:os';
import path from 'node:path';

/**
 * Where Slipway keeps its state: SLIPWAY_HOME when set, else the same folder
 * Electron's userData uses, so the desktop app and the CLI share their apps.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SLIPWAY_HOME) return path.resolve(env.SLIPWAY_HOME);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Slipway');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Slipway');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Slipway');
}
