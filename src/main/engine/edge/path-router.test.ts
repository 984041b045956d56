import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createPathRouter, matchPath, type PathTarget } from './path-router';

const targets: PathTarget[] = [
  { prefix: '/', port: 20001, preservePathPrefix: false },
  { prefix: '/api', port: 20002, preservePathPrefix: false },
  { prefix: '/api/v2', port: 20003, preservePathPrefix: true },
];

describe('matching a request path to a component', () => {
  it('takes the longest prefix and cuts it off, keeping the query', () => {
    expect(matchPath(targets, '/api/users?page=2')).toEqual({ target: targets[1], url: '/users?page=2' });
    expect(matchPath(targets, '/api')).toEqual({ target: targets[1], url: '/' });
    expect(matchPath(targets, '/api?x=1')).toEqual({ target: targets[1], url: '/?x=1' });
    expect(matchPath(targets, '/api/v2/items')).toEqual({ target: targets[2], url: '/api/v2/items' });
  });

  it('matches regardless of case, as Caddy does on a server', () => {
    expect(matchPath(targets, '/API/users')).toEqual({ target: targets[1], url: '/users' });
  });

  it('never puts /apiary under /api, and sends the rest to /', () => {
    expect(matchPath(targets, '/apiary')).toEqual({ target: targets[0], url: '/apiary' });
    expect(matchPath(targets, '/')).toEqual({ target: targets[0], url: '/' });
  });

  it('finds nothing for a path no prefix holds', () => {
    expect(matchPath(targets.slice(1), '/index.html')).toBeNull();
  });
});

describe('the path router, on loopback', () => {
  const servers: Array<{ close(cb?: () => void): unknown }> = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((resolve) => s.close(() => resolve(undefined)));
  });

  async function listen<T extends Server | WebSocketServer>(server: T): Promise<number> {
    servers.push(server);
    const http = server instanceof WebSocketServer ? (server.options.server as Server) : (server as Server);
    if (server instanceof WebSocketServer) servers.push(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    return (http.address() as AddressInfo).port;
  }

  /** A component answering with the URL and forwarded headers it was given. */
  const echo = () =>
    createServer((req, res) => {
      res.end(
        JSON.stringify({
          url: req.url,
          for: req.headers['x-forwarded-for'],
          proto: req.headers['x-forwarded-proto'],
          host: req.headers['x-forwarded-host'],
        }),
      );
    });

  function get(port: number, path: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });
  }

  it("sends a request to its path's component with the prefix cut, and forwarded headers set as Caddy sets them", async () => {
    const api = await listen(echo());
    const router = await listen(createPathRouter(() => [{ prefix: '/api', port: api, preservePathPrefix: false }]));
    const answer = await get(router, '/api/items?x=1', { 'X-Forwarded-For': '203.0.113.9', Host: 'shop.test' });
    expect(JSON.parse(answer.body)).toEqual({ url: '/items?x=1', for: '127.0.0.1', proto: 'http', host: 'shop.test' });
    expect((await get(router, '/elsewhere')).status).toBe(404);
  });

  it('answers 502 when the component does not answer', async () => {
    const closed = await listen(echo());
    await new Promise((resolve) => servers.pop()!.close(() => resolve(undefined)));
    const router = await listen(createPathRouter(() => [{ prefix: '/', port: closed, preservePathPrefix: false }]));
    expect(await get(router, '/')).toEqual({ status: 502, body: 'The component did not answer.\n' });
  });

  it('carries a WebSocket to its component, and answers an upgrade on no path with 404', async () => {
    const backend = new WebSocketServer({ server: createServer() });
    backend.on('connection', (socket, req) => socket.send(`hello from ${req.url}`));
    const ws = await listen(backend);
    const router = await listen(createPathRouter(() => [{ prefix: '/live', port: ws, preservePathPrefix: false }]));
    const client = new WebSocket(`ws://127.0.0.1:${router}/live/feed`);
    const first = await new Promise<string>((resolve, reject) => {
      client.once('message', (data: Buffer) => resolve(data.toString()));
      client.once('error', reject);
    });
    client.close();
    expect(first).toBe('hello from /feed');
    const refused = new WebSocket(`ws://127.0.0.1:${router}/nowhere`);
    const status = await new Promise<number>((resolve) =>
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(404);
  });
});
