import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaddyAdmin, parseUpstreams } from './caddy-admin';

/** A stand-in admin API on a Unix socket, answering like Caddy: the ETag as a trailer of GET /config/. */
describe('the admin API client', () => {
  let dir: string;
  let server: Server;
  let seen: Array<{ method?: string; url?: string; host?: string; ifMatch?: string; body: string }>;
  let etag = '"/config/ 1"';
  let upstreamsBody = '[]';

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'caddy-admin-'));
    seen = [];
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, host: req.headers.host, ifMatch: req.headers['if-match'], body });
        if (req.headers.host !== 'slipway-edge') {
          res.writeHead(403).end('{"error":"host not allowed"}');
        } else if (req.method === 'GET' && req.url === '/reverse_proxy/upstreams') {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(upstreamsBody);
        } else if (req.method === 'GET') {
          res.writeHead(200, { 'Content-Type': 'application/json', Trailer: 'ETag' });
          res.write('{"apps":{}}');
          res.addTrailers({ ETag: etag });
          res.end();
        } else if (req.headers['if-match'] && req.headers['if-match'] !== etag) {
          res.writeHead(412).end('{"error":"precondition failed"}');
        } else res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'admin.sock'), resolve));
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const admin = () => new CaddyAdmin(() => Promise.resolve(connect(path.join(dir, 'admin.sock'))));

  it('sends the one Host the config allows, and reads the ETag from the trailer', async () => {
    expect(await admin().config()).toEqual({ config: { apps: {} }, etag: '"/config/ 1"' });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/config/', host: 'slipway-edge' });
  });

  it('replaces both servers in one PATCH, only against the ETag it was given', async () => {
    await admin().replaceServers({ s: { listen: [':80'], routes: [] } }, etag);
    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      url: '/config/apps/http/servers',
      ifMatch: etag,
      body: '{"s":{"listen":[":80"],"routes":[]}}',
    });
    etag = '"/config/ 2"';
    await expect(admin().replaceServers({}, '"/config/ 1"')).rejects.toMatchObject({
      code: 'EDGE_FAILED',
      message: expect.stringMatching(/changed while Slipway changed it/),
    });
  });

  it("reads the reverse proxies' upstreams with the requests in flight to each", async () => {
    upstreamsBody =
      '[{"address":"slipway-shop-web-d1-1:8080","healthy":false,"num_requests":2,"fails":0},' +
      '{"address":"slipway-shop-web-d2-1:8080","num_requests":0,"fails":1}]\n';
    expect(await admin().upstreams()).toEqual([
      { address: 'slipway-shop-web-d1-1:8080', numRequests: 2, fails: 0 },
      { address: 'slipway-shop-web-d2-1:8080', numRequests: 0, fails: 1 },
    ]);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/reverse_proxy/upstreams', host: 'slipway-edge' });
  });

  it('refuses an upstreams answer of another shape as EDGE_FAILED', () => {
    for (const body of ['', '{}', '[{"address":"a:1"}]', '[{"num_requests":0}]', 'null']) {
      expect(() => parseUpstreams(body), body).toThrow(expect.objectContaining({ code: 'EDGE_FAILED' }));
    }
    expect(parseUpstreams('[{"address":"a:1","num_requests":0}]')).toEqual([
      { address: 'a:1', numRequests: 0, fails: 0 },
    ]);
  });

  it('names an unreachable socket as EDGE_FAILED', async () => {
    const gone = new CaddyAdmin(() => Promise.resolve(connect(path.join(dir, 'missing.sock'))));
    await expect(gone.config()).rejects.toMatchObject({ code: 'EDGE_FAILED' });
  });
});
