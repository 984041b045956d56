import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { describeTransportConformance } from '../../../test/support/transport-conformance';
import { echoRouter } from '../../../test/support/echo-contract';
import { socketClientTransport } from '../../shared/rpc/socket-client-transport';
import { attachSocketServer, newSocketToken } from './websocket-server';

async function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Opens a socket and reports whether the server let it open, and with which HTTP status it refused. */
function tryOpen(url: string, headers: Record<string, string> = {}): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.on('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    socket.on('error', () => resolve({ opened: false }));
  });
}

describeTransportConformance('WebSocket', async (router) => {
  const { server, port } = await listen();
  const token = newSocketToken();
  const socketServer = attachSocketServer({ server, router, token });
  const transport = socketClientTransport(new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`));
  return {
    transport,
    async close() {
      transport.close();
      await socketServer.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
});

describe('WebSocket server', () => {
  async function withServer(run: (base: string, token: string) => Promise<void>) {
    const { server, port } = await listen();
    const token = newSocketToken();
    const socketServer = attachSocketServer({ server, router: echoRouter(), token });
    try {
      await run(`127.0.0.1:${port}`, token);
    } finally {
      await socketServer.close();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('refuses a connection without the token, or with a wrong one', async () => {
    await withServer(async (base, token) => {
      expect(await tryOpen(`ws://${base}/rpc`)).toEqual({ opened: false, status: 401 });
      expect(await tryOpen(`ws://${base}/rpc?token=${'0'.repeat(token.length)}`)).toEqual({
        opened: false,
        status: 401,
      });
      expect(await tryOpen(`ws://${base}/rpc?token=${token}`)).toEqual({ opened: true });
    });
  });

  it('refuses a page of another origin even when it knows the token', async () => {
    await withServer(async (base, token) => {
      expect(await tryOpen(`ws://${base}/rpc?token=${token}`, { Origin: 'http://evil.example' })).toEqual({
        opened: false,
        status: 403,
      });
      expect(await tryOpen(`ws://${base}/rpc?token=${token}`, { Origin: `http://${base}` })).toEqual({ opened: true });
    });
  });

  it('answers a malformed message with INVALID_REQUEST and keeps the connection', async () => {
    await withServer(async (base, token) => {
      const socket = new WebSocket(`ws://${base}/rpc?token=${token}`);
      await new Promise((resolve) => socket.on('open', resolve));
      const replies: unknown[] = [];
      socket.on('message', (data) => replies.push(JSON.parse(data.toString())));
      socket.send('not json');
      socket.send(JSON.stringify({ t: 'call', id: 7, name: 'echo.say', request: { text: 'still here' } }));
      const deadline = Date.now() + 2000;
      while (replies.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      socket.close();
      expect(replies).toEqual([
        { t: 'result', id: -1, result: { ok: false, error: expect.objectContaining({ code: 'INVALID_REQUEST' }) } },
        { t: 'result', id: 7, result: { ok: true, data: { text: 'still here' } } },
      ]);
    });
  });
});
