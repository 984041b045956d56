import { connect, createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeProxy } from './edge-proxy';
import { findFreePort } from './free-port';
import type { Upstream } from './service-router';

const servers: Server[] = [];
let proxy: EdgeProxy;

afterEach(async () => {
  await proxy.close();
  for (const server of servers.splice(0)) server.close();
});

/** An instance on loopback that answers every connection with its name. */
async function instance(name: string): Promise<Upstream> {
  const server = createServer((socket) => socket.end(name));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    connect: () =>
      new Promise<Duplex>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      }),
  };
}

/** What the edge's port answers. */
function answer(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

async function takenPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as { port: number }).port;
}

describe('the edge proxy', () => {
  it('switches several routes together', async () => {
    proxy = new EdgeProxy();
    const [web, api] = [await findFreePort(), await findFreePort()];
    await proxy.setRoutes([
      { key: 'shop/web', port: web, upstreams: [await instance('web v1')] },
      { key: 'shop/api', port: api, upstreams: [await instance('api v1')] },
    ]);
    await proxy.setRoutes([
      { key: 'shop/web', port: web, upstreams: [await instance('web v2')] },
      { key: 'shop/api', port: api, upstreams: [await instance('api v2')] },
    ]);
    expect([await answer(web), await answer(api)]).toEqual(['web v2', 'api v2']);
    expect(await proxy.routeKeys()).toEqual(['shop/web', 'shop/api']);
  });

  it('changes no route when one of them cannot take its port', async () => {
    proxy = new EdgeProxy();
    const [web, api] = [await findFreePort(), await findFreePort()];
    await proxy.setRoutes([
      { key: 'shop/web', port: web, upstreams: [await instance('web v1')] },
      { key: 'shop/api', port: api, upstreams: [await instance('api v1')] },
    ]);
    const taken = await takenPort();
    await expect(
      proxy.setRoutes([
        { key: 'shop/web', port: web, upstreams: [await instance('web v2')] },
        { key: 'shop/api', port: taken, upstreams: [await instance('api v2')] },
      ]),
    ).rejects.toMatchObject({ code: 'DEPLOY_FAILED', message: expect.stringContaining(`Port ${taken}`) });
    expect([await answer(web), await answer(api)]).toEqual(['web v1', 'api v1']);
  });

  it('keeps serving on the old port when a route cannot move to a new one', async () => {
    proxy = new EdgeProxy();
    const web = await findFreePort();
    await proxy.setRoute('shop/web', web, [await instance('web v1')]);
    await expect(proxy.setRoute('shop/web', await takenPort(), [await instance('web v2')])).rejects.toMatchObject({
      code: 'DEPLOY_FAILED',
    });
    expect(await answer(web)).toBe('web v1');
  });
});
