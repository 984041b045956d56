import path from 'node:path';
import Docker from 'dockerode';
import { ensureBusyboxImage } from '../../support/busybox-image';
import { removeSlipwayResources } from '../../support/cleanup';
import { eventually, scratchDir, stopEdgeProcess } from '../../support/deploy-fixtures';
import { startTestEngine, type TestEngine } from '../../support/engine-process';
import {
  startRemoteServers,
  stopRemoteServers,
  trustedServerInput,
  type RemoteServer,
  type ServerOptions,
} from '../../support/remote-servers';
import { openDockerGate, type DockerGate } from './docker-gate';

/** The server's name in Slipway. */
export const SERVER = 'srv';

/** A test server added to a real engine process on a scratch data folder, and the test's own view of its Docker engine. */
export interface ServerRig {
  server: RemoteServer;
  engine: TestEngine;
  /** The server's Docker engine, reached by the test directly through its socket (not through Slipway). */
  remote: Docker;
  /** Set when the engine reaches this machine's Docker through a gate. */
  gate: DockerGate | null;
  dir: string;
  dataDir: string;
  /** Resolves once Slipway sees the server online again, within a bound. */
  online(): Promise<void>;
  /** Deletes the apps, stops the engine, edge and server by pid, removes what is labelled with the apps here. */
  stop(apps: readonly string[]): Promise<void>;
}

export async function startServerRig(
  prefix: string,
  options: { server?: ServerOptions; gate?: boolean } = {},
): Promise<ServerRig> {
  const [server] = (await startRemoteServers(1, options.server)) as [RemoteServer];
  const scratch = await scratchDir(prefix);
  const dataDir = path.join(scratch.dir, 'data');
  let gate: DockerGate | null = null;
  let engine: TestEngine | null = null;
  const stop = async (apps: readonly string[]) => {
    for (const app of apps) await engine?.client.apps.delete({ app }).catch(() => undefined);
    await engine?.stop();
    await gate?.close();
    await stopEdgeProcess(dataDir);
    await stopRemoteServers([server]);
    for (const app of apps) await removeSlipwayResources(new Docker(), { app });
    await scratch.remove();
  };
  try {
    gate = options.gate ? await openDockerGate(scratch.dir) : null;
    engine = await startTestEngine(dataDir, gate ? { DOCKER_HOST: gate.dockerHost } : {});
    const remote = new Docker({ socketPath: server.dockerSocketPath });
    // Nothing can be pulled: a server that builds needs the base image there.
    await ensureBusyboxImage(remote);
    const added = await engine.client.servers.add(trustedServerInput(SERVER, server));
    if (added.status.state !== 'online') throw new Error(`the test server is ${added.status.state}`);
    const client = engine.client;
    return {
      server,
      engine,
      remote,
      gate,
      dir: scratch.dir,
      dataDir,
      online: async () => {
        await eventually(async () => (await client.servers.get({ name: SERVER })).status.state === 'online', 60_000);
      },
      stop,
    };
  } catch (err) {
    await stop([]);
    throw err;
  }
}
