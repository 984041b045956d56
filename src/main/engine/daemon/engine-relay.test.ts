import { describe, expect, it } from 'vitest';
import { echoRouter } from '../../../../test/support/echo-contract';
import { inProcessTransport } from '../../../shared/rpc/in-process-transport';
import { engineRelay } from './engine-relay';
import type { EngineConnection } from './local-socket-client';

/** Engine processes that can be "killed": each connection is a fresh router behind a closable line. */
function fakeEngines() {
  const made: Array<{ connection: EngineConnection; kill(): void; router: ReturnType<typeof echoRouter> }> = [];
  const connect = async (): Promise<EngineConnection> => {
    const router = echoRouter();
    let kill: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (kill = resolve));
    let dead = false;
    const inner = inProcessTransport(router);
    const connection: EngineConnection = {
      transport: {
        call: (name, request) =>
          dead
            ? Promise.resolve({ ok: false, error: { code: 'TRANSPORT_CLOSED', message: 'closed' } })
            : inner.call(name, request),
        subscribe: (name, params, onEvent) =>
          inner.subscribe(name, params, (event) => {
            if (!dead) onEvent(event);
          }),
      },
      engine: { pid: made.length + 1, version: 'test' },
      closed,
      close: () => undefined,
    };
    made.push({
      connection,
      router,
      kill: () => {
        dead = true;
        kill();
      },
    });
    return connection;
  };
  return { made, connect };
}

describe('the engine relay', () => {
  it('connects on first use and carries calls', async () => {
    const engines = fakeEngines();
    const relay = engineRelay({ connect: engines.connect });
    expect(engines.made).toHaveLength(0);
    expect(await relay.call('echo.say', { text: 'hi' })).toEqual({ ok: true, data: { text: 'hi' } });
    expect(engines.made).toHaveLength(1);
    relay.close();
  });

  it('connects to a new engine after the old one is gone, and opens its subscriptions there again', async () => {
    const engines = fakeEngines();
    const reconnected: number[] = [];
    const relay = engineRelay({
      connect: engines.connect,
      backoffMs: [1],
      onReconnect: (c) => reconnected.push(c.engine.pid),
    });
    const seen: number[] = [];
    const sub = await relay.subscribe('echo.ticks', { count: 2 }, (e) => seen.push((e as { n: number }).n));
    expect(sub.ok).toBe(true);
    await expect.poll(() => seen).toEqual([1, 2]);
    engines.made[0]!.kill();
    // The new engine's stream delivers again, without the front end asking.
    await expect.poll(() => seen).toEqual([1, 2, 1, 2]);
    expect(reconnected).toEqual([2]);
    expect(await relay.call('echo.say', { text: 'again' })).toEqual({ ok: true, data: { text: 'again' } });
    expect(engines.made).toHaveLength(2);
    if (sub.ok) sub.data();
    expect(engines.made[1]!.router.unsubscribed()).toBe(1);
    relay.close();
  });

  it('answers a failed connection as an error envelope, and tries again on the next call', async () => {
    let attempts = 0;
    const engines = fakeEngines();
    const relay = engineRelay({
      connect: async () => {
        if (attempts++ === 0) throw Object.assign(new Error('no'), {});
        return engines.connect();
      },
    });
    expect(await relay.call('echo.say', { text: 'x' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(await relay.call('echo.say', { text: 'x' })).toEqual({ ok: true, data: { text: 'x' } });
    relay.close();
  });
});
