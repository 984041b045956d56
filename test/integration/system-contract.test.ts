import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contract } from '../../src/shared/contract';
import type { ContainerEvent } from '../../src/shared/domains/system';
import { SlipwayError } from '../../src/shared/errors';
import { LABELS } from '../../src/shared/labels';
import { createClient } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { bridgeTransport } from '../../src/shared/rpc/preload-bridge';
import { socketClientTransport } from '../../src/shared/rpc/socket-client-transport';
import type { Transport } from '../../src/shared/rpc/transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import { localHostAtSocket } from '../support/local-docker';
import { registerIpcRouter } from '../../src/main/rpc/ipc-adapter';
import { attachSocketServer, newSocketToken } from '../../src/main/rpc/websocket-server';
import { createPreloadBridge } from '../../src/preload/bridge';
import { removeSlipwayResources } from '../support/cleanup';
import { createFakeIpc } from '../support/fake-electron-ipc';

const APP = 'itest-system-contract';
const docker = new Docker();

describe('system domain on the real Docker engine', () => {
  let engine: Engine;
  let server: Server;
  let closeSocketServer: () => Promise<void>;
  const transports: Record<string, Transport> = {};
  const cleanups: Array<() => unknown> = [];

  beforeAll(async () => {
    engine = createEngine();
    transports['in-process'] = inProcessTransport(engine.router);

    const ipc = createFakeIpc();
    cleanups.push(
      registerIpcRouter({
        ipcMain: ipc.ipcMain as never,
        router: engine.router,
        isTrustedSender: (event) => (event as { senderFrame: unknown }).senderFrame === ipc.mainFrame,
      }),
    );
    transports['Electron IPC'] = bridgeTransport(createPreloadBridge(ipc.ipcRenderer as never, contract));

    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const token = newSocketToken();
    closeSocketServer = attachSocketServer({ server, router: engine.router, token }).close;
    const socket = socketClientTransport(
      new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/rpc?token=${token}`),
    );
    cleanups.push(() => socket.close());
    transports['WebSocket'] = socket;
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await closeSocketServer?.();
    await new Promise((resolve) => server?.close(resolve));
    await engine?.close();
    await removeSlipwayResources(docker, { app: APP });
  });

  for (const name of ['in-process', 'Electron IPC', 'WebSocket']) {
    it(`reports the engine's version over ${name}`, async () => {
      const expected = await docker.version();
      const info = await createClient(contract, transports[name]!).system.info();
      expect(info.docker.version).toBe(expected.Version);
      expect(info.docker.apiVersion).toBe(expected.ApiVersion);
      expect(info.slipwayVersion).toMatch(/^\d+\.\d+\.\d+/);
    });

    it(`streams a container's events over ${name}`, async () => {
      const client = createClient(contract, transports[name]!);
      const events: ContainerEvent[] = [];
      const unsubscribe = await client.system.containerEvents({ managedOnly: true }, (e) => events.push(e));
      const container = await docker.createContainer({
        Image: 'busybox:stable',
        Cmd: ['true'],
        Labels: { [LABELS.managed]: 'true', [LABELS.app]: APP },
      });
      try {
        const deadline = Date.now() + 10_000;
        while (!events.some((e) => e.containerId === container.id && e.action === 'create') && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(events.find((e) => e.containerId === container.id)).toMatchObject({ action: 'create', app: APP });
      } finally {
        unsubscribe();
        await container.remove({ force: true });
      }
    });
  }

  it('names a request field it refuses', async () => {
    const result = await transports['WebSocket']!.subscribe('system.containerEvents', { managedOnly: 'yes' }, () => 0);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(!result.ok && result.error.message).toContain('managedOnly');
  });

  it('answers DOCKER_UNREACHABLE when no engine listens', async () => {
    const unreachable = createEngine({ localHost: localHostAtSocket('/nonexistent/slipway-test/docker.sock') });
    const err = await createClient(contract, inProcessTransport(unreachable.router))
      .system.info()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlipwayError);
    expect((err as SlipwayError).code).toBe('DOCKER_UNREACHABLE');
    expect((err as SlipwayError).message).toContain('/nonexistent/slipway-test/docker.sock');
  });
});
