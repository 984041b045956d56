import type { EngineConnection } from '../main/engine/daemon/local-socket-client';
import { connectEngine, probeEngine } from '../main/engine/daemon/engine-launcher';
import { enginePaths, type EnginePaths } from '../main/engine/daemon/engine-paths';
import { inProcessTransport } from '../shared/rpc/in-process-transport';
import type { Router } from '../shared/rpc/router';

/** How a CLI invocation reaches the engine of its data folder. */
export interface EngineAccess {
  paths: EnginePaths;
  /** Connects, starting the engine in the background when none runs. */
  connect(): Promise<EngineConnection>;
  /** Connects only to an engine that already runs; null when none does. */
  probe(): Promise<EngineConnection | null>;
}

/** The engine process of a data folder, started from the bundled entry when needed. */
export function daemonAccess(dataDir: string, script: string): EngineAccess {
  return {
    paths: enginePaths(dataDir),
    connect: () => connectEngine({ dataDir, script }),
    probe: () => probeEngine(dataDir),
  };
}

/** An engine in this process (unit tests): the same contract, no socket. */
export function inProcessAccess(router: Router, dataDir = '/nonexistent/slipway'): EngineAccess {
  const connection = (): EngineConnection => ({
    transport: inProcessTransport(router),
    engine: { pid: process.pid, version: 'in-process' },
    closed: new Promise(() => undefined),
    close: () => undefined,
  });
  return { paths: enginePaths(dataDir), connect: async () => connection(), probe: async () => connection() };
}
