import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { engineRelay } from '../../src/main/engine/daemon/engine-relay';
import { connectEngine } from '../../src/main/engine/daemon/engine-launcher';
import { contract } from '../../src/shared/contract';
import { createClient, type Client } from '../../src/shared/rpc/client';
import type { Transport } from '../../src/shared/rpc/transport';
import { ENGINE_SCRIPT, slipwayEnv, stopEngineProcess } from './slipway-process';

export interface TestEngine {
  /** A relay to the engine, as the window's main process holds one: what a browser host serves. */
  relay: Transport & { close(): void };
  client: Client<typeof contract>;
  /** The HOME the engine runs with: its `~/.ssh` is the test's own, never the user's. */
  home: string;
  /** Closes the relay and ends the engine process by its pid. */
  stop(): Promise<void>;
}

/**
 * The real engine process of a data folder, started from the built bundle as
 * the CLI starts it, with the test's environment (e.g. DOCKER_HOST).
 */
export async function startTestEngine(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<TestEngine> {
  const home = path.join(dataDir, 'home');
  await mkdir(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const relay = engineRelay({
    connect: () => connectEngine({ dataDir, script: ENGINE_SCRIPT, env: slipwayEnv(dataDir, { HOME: home, ...env }) }),
  });
  const client = createClient(contract, relay);
  // Started now: the first call starts the engine, which reconciles before it answers.
  await client.engine.status({});
  return {
    relay,
    client,
    home,
    async stop() {
      relay.close();
      await stopEngineProcess(dataDir);
    },
  };
}
