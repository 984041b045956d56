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
function rawExchange(socketPath: string, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const split = lineSplitter();
    socket.on('connect', () => socket.write(lines.map((l) => `${l}\n`).join('')));
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
