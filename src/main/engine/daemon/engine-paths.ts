import { createHash } from 'node:crypto';
import path from 'node:path';
import { SlipwayError } from '../../../shared/errors';

/** Unix socket paths longer than this fail to bind on macOS (104 bytes with the terminator); Linux allows 107. */
const MAX_SOCKET_PATH_BYTES = 103;

/** Where the engine of a data folder is reached, and what it keeps beside its state. */
export interface EnginePaths {
  dataDir: string;
  /** The local socket: `<data>/engine.sock`, or a named pipe on Windows. */
  socket: string;
  /** The per-run secret a front end presents first (0600): only the data folder's owner can read it. */
  token: string;
  /** The engine process's own output. */
  log: string;
}

/** The engine's socket, token and log for a data folder. */
export function enginePaths(dataDir: string, platform: NodeJS.Platform = process.platform): EnginePaths {
  const dir = path.resolve(dataDir);
  return {
    dataDir: dir,
    socket: platform === 'win32' ? windowsPipe(dir) : path.join(dir, 'engine.sock'),
    token: path.join(dir, 'engine.token'),
    log: path.join(dir, 'logs', 'engine-process.log'),
  };
}

/** Pipes live in one namespace for the whole machine: name it after the folder, which names its user too. */
function windowsPipe(dir: string): string {
  const id = createHash('sha256').update(dir.toLowerCase()).digest('hex').slice(0, 24);
  return `\\\\.\\pipe\\slipway-engine-${id}`;
}

/** Refuses a socket path the OS cannot bind, naming the folder and what to do. */
export function checkSocketPath(paths: EnginePaths, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32' || Buffer.byteLength(paths.socket) <= MAX_SOCKET_PATH_BYTES) return;
  throw new SlipwayError(
    'ENGINE_UNREACHABLE',
    `The data folder ${paths.dataDir} is too deep for the engine's socket (${Buffer.byteLength(paths.socket)} bytes; the OS allows ${MAX_SOCKET_PATH_BYTES}). Set SLIPWAY_HOME to a shorter path.`,
    { socket: paths.socket },
  );
}
