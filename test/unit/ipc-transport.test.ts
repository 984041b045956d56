import { describe, expect, it } from 'vitest';
import { createFakeIpc } from '../support/fake-electron-ipc';
import { echoContract, echoRouter } from '../support/echo-contract';
import { describeTransportConformance } from '../support/transport-conformance';
import { bridgeTransport } from '../../src/shared/rpc/preload-bridge';
import { createPreloadBridge } from '../../src/preload/bridge';
import { registerIpcRouter } from '../../src/main/rpc/ipc-adapter';
import type { MessageTarget } from '../../src/main/engine/daemon/serve-messages';
import { engineRelay } from '../../src/main/engine/daemon/engine-relay';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';

/** Wires main adapter → fake Electron IPC → preload bridge → renderer transport, as the desktop app does. */
function connectOverIpc(router: MessageTarget) {
  const ipc = createFakeIpc();
  const unregister = registerIpcRouter({
    ipcMain: ipc.ipcMain as never,
    router,
    isTrustedSender: (event) => (event as { senderFrame: unknown }).senderFrame === ipc.mainFrame,
  });
  const bridge = createPreloadBridge(ipc.ipcRenderer as never, echoContract);
  return { ipc, bridge, transport: bridgeTransport(bridge), unregister };
}

describeTransportConformance('Electron IPC', async (router) => {
  const { transport, unregister } = connectOverIpc(router);
  return { transport, close: unregister };
});

// The app's own chain: the adapter hands every call to the relay, which carries it to the engine process.
describeTransportConformance('Electron IPC through the engine relay', async (router) => {
  const relay = engineRelay({
    connect: async () => ({
      transport: inProcessTransport(router),
      engine: { pid: process.pid, version: 'test' },
      closed: new Promise<void>(() => {}),
      close: () => undefined,
    }),
  });
  const { transport, unregister } = connectOverIpc(relay);
  return {
    transport,
    close: () => {
      unregister();
      relay.close();
    },
  };
});

describe('Electron IPC adapter', () => {
  it('refuses calls and subscriptions from a frame that is not the main frame', async () => {
    const router = echoRouter();
    const { ipc, bridge } = connectOverIpc(router);
    ipc.sendFrom({ url: 'https://ads.example/frame.html', parent: ipc.mainFrame });
    expect(await bridge.call('echo.say', { text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await bridge.subscribe('echo.ticks', { count: 1 }, () => undefined)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });

  it('never forwards a name outside the contract to IPC', async () => {
    const { bridge } = connectOverIpc(echoRouter());
    expect(await bridge.call('slipway:call', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await bridge.call('echo.ticks', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('ends a window’s subscriptions when the window goes away', async () => {
    const router = echoRouter();
    const { ipc, bridge } = connectOverIpc(router);
    await bridge.subscribe('echo.ticks', { count: 1 }, () => undefined);
    await bridge.subscribe('echo.ticks', { count: 1 }, () => undefined);
    ipc.destroy();
    expect(router.unsubscribed()).toBe(2);
  });
});
