import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { describeTransportConformance } from '../../../test/support/transport-conformance';
import { echoRouter } from '../../../test/support/echo-contract';
import { socketClientTransport } from '../../shared/rpc/socket-client-transport';
import { MAX_REQUEST_BYTES } from '../engine/daemon/serve-messages';
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

  it('serves only its own origins, whatever Host a rebound name sends, and only under its own Host', async () => {
    await withServer(async (base, token) => {
      const port = base.split(':')[1]!;
      const url = `ws://${base}/rpc?token=${token}`;
      // DNS rebinding: evil.example resolves to 127.0.0.1, so its page's Origin and Host agree with each other.
      const rebound = { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` };
      expect(await tryOpen(url, rebound)).toEqual({ opened: false, status: 403 });
      expect(await tryOpen(url, { Host: `evil.example:${port}` })).toEqual({ opened: false, status: 403 });
      expect(await tryOpen(url, { Origin: `http://127.0.0.1:${Number(port) + 1}` })).toEqual({
        opened: false,
        status: 403,
      });
      expect(await tryOpen(url, { Host: `localhost:${port}`, Origin: `http://localhost:${port}` })).toEqual({
        opened: true,
      });
    });
  });

  /** Opens a socket with the token; `closed` resolves with the close code the server gave. */
  async function openSocket(base: string, token: string) {
    const socket = new WebSocket(`ws://${base}/rpc?token=${token}`);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.on('open', resolve));
    return { socket, closed };
  }

  async function callOnce(base: string, token: string, request: unknown): Promise<unknown> {
    const { socket } = await openSocket(base, token);
    const reply = new Promise<unknown>((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    socket.send(JSON.stringify(request));
    const answer = await reply;
    socket.close();
    return answer;
  }

  const say = (text: string) => ({ t: 'call', id: 1, name: 'echo.say', request: { text } });

  it('answers a message as large as a spec may be, and closes only the connection of a larger one', async () => {
    await withServer(async (base, token) => {
      // A 1 MiB spec, JSON-escaped: its quotes and newlines make it larger still.
      const spec = 'name: "x"\n'.repeat((1024 * 1024) / 10);
      expect(await callOnce(base, token, say(spec))).toMatchObject({
        id: 1,
        result: { ok: false, error: { code: 'INVALID_REQUEST' } },
      });
      const bystander = await openSocket(base, token);
      const hostile = await openSocket(base, token);
      hostile.socket.send('x'.repeat(MAX_REQUEST_BYTES + 1));
      expect(await hostile.closed).toBe(1009);
      expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
      bystander.socket.close();
      expect(await callOnce(base, token, say('next'))).toEqual({
        t: 'result',
        id: 1,
        result: { ok: true, data: { text: 'next' } },
      });
    });
  });

  it('closes only the connection of a text frame that is not UTF-8', async () => {
    await withServer(async (base, token) => {
      const hostile = await openSocket(base, token);
      hostile.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
      expect(await hostile.closed).toBe(1007);
      expect(await callOnce(base, token, say('next'))).toMatchObject({ result: { ok: true } });
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
