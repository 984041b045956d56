import { createConnection, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DockerHost } from '../hosts/docker-host';
import { probeTcp, TCP_HOLD_MS, tcpHoldMs } from './probes';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A loopback server; `closeAtOnce` acts as Docker's port proxy does while nothing listens behind it. */
async function listen(closeAtOnce: boolean): Promise<number> {
  const server = createServer((socket) => (closeAtOnce ? socket.destroy() : socket.on('error', () => undefined)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const host = {
  connectLoopback: (port: number) =>
    new Promise((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => resolve(socket));
      socket.once('error', reject);
    }),
} as unknown as DockerHost;

describe('probeTcp', () => {
  it('is healthy when the connection is accepted and stays open', async () => {
    expect(await probeTcp(host, await listen(false), 2000)).toEqual({ ok: true });
  });

  it('is not healthy when the connection is closed at once, as a port proxy with nothing behind it does', async () => {
    const result = await probeTcp(host, await listen(true), 2000);
    expect(result).toMatchObject({ ok: false });
    expect(result.ok === false && result.reason).toMatch(/closed at once/);
  });
});

describe('tcpHoldMs', () => {
  it('waits longer for a slower connection, within its bounds', () => {
    expect(tcpHoldMs(1)).toBe(TCP_HOLD_MS.min);
    expect(tcpHoldMs(40)).toBe(210);
    expect(tcpHoldMs(500)).toBe(TCP_HOLD_MS.max);
  });
});
