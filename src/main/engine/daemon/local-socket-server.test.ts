import { mkdtemp, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echoRouter } from '../../../../test/support/echo-contract';
import { describeTransportConformance } from '../../../../test/support/transport-conformance';
import { lineSplitter } from '../base/line-splitter';
import { connectLocalSocket } from './local-socket-client';
import { serveLocalSocket, type LocalSocketServer } from './local-socket-server';
import { MAX_REQUEST_BYTES } from './serve-messages';

const TOKEN = 'a'.repeat(64);

async function scratchSocket() {
  const dir = await mkdtemp(path.join(tmpdir(), 'slipway-sock-'));
  return { dir, socketPath: path.join(dir, 'engine.sock') };
}

describeTransportConformance('local socket', async (router) => {
  const { dir, socketPath } = await scratchSocket();
  const server = await serveLocalSocket({ socketPath, target: router, token: TOKEN, version: '1.0.0' });
  const connection = await connectLocalSocket({ socketPath, token: TOKEN, version: '1.0.0' });
  return {
    transport: connection.transport,
    async close() {
      connection.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

/** Sends raw lines and collects the first line the server answers. */
function rawExchange(socketPath: string, lines: Array<string | Buffer>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const split = lineSplitter();
    socket.on('connect', () => socket.write(Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')]))));
    socket.on('data', (chunk) => {
      const [first] = split.push(chunk);
      if (first !== undefined) {
        resolve(first);
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

/** A raw connection that has greeted the engine; `lines` collects what it answers, `closed` resolves when it ends. */
async function greetedRaw(socketPath: string) {
  const socket = net.createConnection(socketPath);
  const split = lineSplitter();
  const lines: string[] = [];
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (chunk) => lines.push(...split.push(chunk)));
  // A peer the server hangs up on may still be writing: that is what this connection is for.
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(`${JSON.stringify({ t: 'hello', token: TOKEN, version: '1.0.0' })}\n`);
  await expect.poll(() => lines.length).toBe(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ t: 'welcome' });
  return { socket, lines, closed };
}

/** Writes until the server hangs up, within a bound: a line that never ends must not be held without one. */
async function writeUntilClosed(socket: net.Socket, closed: Promise<void>, chunk: Buffer, boundBytes: number) {
  let ended = false;
  void closed.then(() => (ended = true));
  let sent = 0;
  for (; !ended && sent < boundBytes; sent += chunk.length) {
    if (!socket.write(chunk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
  }
  await closed;
  return sent;
}

describe('the local socket server', () => {
  let dir: string;
  let socketPath: string;
  let server: LocalSocketServer;
  beforeEach(async () => {
    ({ dir, socketPath } = await scratchSocket());
    server = await serveLocalSocket({ socketPath, target: echoRouter(), token: TOKEN, version: '1.0.0' });
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('makes its socket 0600', async () => {
    expect((await stat(socketPath)).mode & 0o777).toBe(0o600);
  });

  it('refuses a peer with a wrong token, or one that calls before greeting, and counts neither', async () => {
    const wrong = await connectLocalSocket({ socketPath, token: 'b'.repeat(64), version: '1.0.0' }).catch((e) => e);
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED' });
    const rude = JSON.parse(
      await rawExchange(socketPath, [JSON.stringify({ t: 'call', id: 1, name: 'echo.say', request: { text: 'x' } })]),
    );
    expect(rude).toMatchObject({ t: 'refused', error: { code: 'UNAUTHORIZED' } });
    expect(server.clients()).toBe(0);
  });

  it('counts greeted front ends, and forgets one that goes', async () => {
    const a = await connectLocalSocket({ socketPath, token: TOKEN, version: '1.0.0' });
    const b = await connectLocalSocket({ socketPath, token: TOKEN, version: '1.0.0' });
    expect(server.clients()).toBe(2);
    a.close();
    await a.closed;
    await expect.poll(() => server.clients()).toBe(1);
    b.close();
    await expect.poll(() => server.clients()).toBe(0);
  });

  it('lets a front end of another version reach only the engine domain', async () => {
    const old = await connectLocalSocket({ socketPath, token: TOKEN, version: '0.9.0' });
    expect(old.engine).toEqual({ pid: process.pid, version: '1.0.0' });
    const answer = await old.transport.call('echo.say', { text: 'hi' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'ENGINE_VERSION_MISMATCH' } });
    expect(answer.ok ? '' : answer.error.message).toContain('version 1.0.0; this front end is 0.9.0');
    // The engine domain still answers (here the echo router has none, so it says so).
    expect(await old.transport.call('engine.status', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    old.close();
  });

  it('closes a connection whose line never ends, and goes on serving the others', async () => {
    const other = await connectLocalSocket({ socketPath, token: TOKEN, version: '1.0.0' });
    const hostile = await greetedRaw(socketPath);
    const chunk = Buffer.alloc(256 * 1024, 'x');
    // What the socket buffers on the way aside, the server stops reading soon after the bound.
    const sent = await writeUntilClosed(hostile.socket, hostile.closed, chunk, 64 * MAX_REQUEST_BYTES);
    expect(sent).toBeLessThan(2 * MAX_REQUEST_BYTES);
    expect(hostile.lines.slice(1).map((l) => JSON.parse(l))).toEqual([
      { t: 'result', id: -1, result: { ok: false, error: expect.objectContaining({ code: 'INVALID_REQUEST' }) } },
    ]);
    expect(await other.transport.call('echo.say', { text: 'still here' })).toEqual({
      ok: true,
      data: { text: 'still here' },
    });
    await expect.poll(() => server.clients()).toBe(1);
    other.close();
  });

  it('closes a connection that sends bytes that are not UTF-8, before or after its greeting', async () => {
    const hostile = await greetedRaw(socketPath);
    hostile.socket.write(
      Buffer.concat([
        Buffer.from('{"t":"call","id":1,"name":"echo.say","request":{"text":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}}\n'),
      ]),
    );
    await hostile.closed;
    expect(JSON.parse(hostile.lines[1]!)).toMatchObject({
      t: 'result',
      id: -1,
      result: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringContaining('UTF-8') } },
    });
    const early = await rawExchange(socketPath, [Buffer.from([0x7b, 0xc3, 0x28, 0x7d])]);
    expect(JSON.parse(early)).toMatchObject({ t: 'refused', error: { code: 'INVALID_REQUEST' } });
    const ok = await connectLocalSocket({ socketPath, token: TOKEN, version: '1.0.0' });
    expect(await ok.transport.call('echo.say', { text: 'fine' })).toMatchObject({ ok: true });
    ok.close();
  });

  it('answers a line that is not JSON with INVALID_REQUEST, as the WebSocket does, and keeps serving', async () => {
    const peer = await greetedRaw(socketPath);
    peer.socket.write('{not json\n');
    peer.socket.write(`${JSON.stringify({ t: 'call', id: 2, name: 'echo.say', request: { text: 'next' } })}\n`);
    await expect.poll(() => peer.lines.length).toBe(3);
    expect(peer.lines.slice(1).map((l) => JSON.parse(l))).toEqual([
      { t: 'result', id: -1, result: { ok: false, error: expect.objectContaining({ code: 'INVALID_REQUEST' }) } },
      { t: 'result', id: 2, result: { ok: true, data: { text: 'next' } } },
    ]);
    peer.socket.destroy();
  });

  it('survives a peer that sends garbage or hangs up mid-message', async () => {
    const garbage = await rawExchange(socketPath, ['{not json']);
    expect(JSON.parse(garbage)).toMatchObject({ t: 'refused' });
    await new Promise<void>((resolve) => {
      const socket = net.createConnection(socketPath, () => {
        socket.write(`{"t":"hello","token":"${TOKEN}","version":"1.0.0"}\n{"t":"call","id":1,"name":"echo.say","req`);
        socket.destroy();
        resolve();
      });
    });
    const ok = await connectLocalSocket({ socketPath, token: TOKEN, version: '1.0.0' });
    expect(await ok.transport.call('echo.say', { text: 'still here' })).toEqual({
      ok: true,
      data: { text: 'still here' },
    });
    ok.close();
  });
});

describe('the local socket client', () => {
  it('hangs up on an engine that sends bytes that are not UTF-8, failing what waits', async () => {
    const { dir, socketPath } = await scratchSocket();
    const fake = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write(`${JSON.stringify({ t: 'welcome', version: '1.0.0', pid: 1 })}\n`);
        socket.once('data', () => socket.write(Buffer.from([0x7b, 0xff, 0x7d, 0x0a])));
      });
    });
    await new Promise<void>((resolve) => fake.listen(socketPath, resolve));
    try {
      const connection = await connectLocalSocket({ socketPath, token: TOKEN, version: '1.0.0' });
      const answer = connection.transport.call('echo.say', { text: 'x' });
      await connection.closed;
      expect(await answer).toMatchObject({ ok: false, error: { code: 'TRANSPORT_CLOSED' } });
    } finally {
      await new Promise((resolve) => fake.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
