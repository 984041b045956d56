import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { ADMIN_SOCKET_NAME } from '../edge/caddy-config';
import { EDGE_CONTAINER } from '../edge/server-edge-container';
import { drainAndRemove, openConnectionsTo, requestsInFlight, type DrainTiming } from './drain-instances';
import type { RunContext } from './run-context';

const SPEC = [
  'name: shop',
  'domains:',
  '  - domain: shop.example.test',
  'services:',
  '  - name: web',
  '    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }',
  '    http_port: 8080',
  'workers:',
  '  - name: queue',
  '    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }',
  '',
].join('\n');

const OLD = 'slipway-shop-web-d1-1';
const OLD_IP = '172.18.0.5';
const NEW = 'slipway-shop-web-d2-1';
/** A /proc/net/tcp header and the edge's listening socket, which no drain counts. */
const PROC_HEAD = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1',
];
/** An established connection from the edge to OLD_IP:8080 (little-endian hex, as the kernel lists it). */
const TO_OLD = '   1: 020012AC:D3C2 050012AC:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1';
const TIME_WAIT_TO_OLD =
  '   2: 020012AC:D3C4 050012AC:1F90 06 00000000:00000000 00:00000000 00000000     0        0 0 1';

const FAST: DrainTiming = { maxMs: 2_000, pollMs: 5 };

/** One framed stdout frame of a non-TTY exec, as Docker multiplexes it. */
function execOutput(text: string): PassThrough {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(payload.length, 4);
  const stream = new PassThrough();
  stream.end(Buffer.concat([header, payload]));
  return stream;
}

describe('requestsInFlight and openConnectionsTo', () => {
  it("count Caddy's requests to the named containers only, whatever the port", () => {
    const upstreams = [
      { address: `${OLD}:8080`, numRequests: 2, fails: 0 },
      { address: `${OLD}:9090`, numRequests: 1, fails: 0 },
      { address: `${NEW}:8080`, numRequests: 7, fails: 0 },
    ];
    expect(requestsInFlight(upstreams, new Set([OLD]))).toBe(3);
    expect(requestsInFlight(upstreams, new Set(['slipway-shop-web-d1-11']))).toBe(0);
  });

  it('count open connections to the addresses and ports, IPv4 and IPv4-mapped IPv6, not listening or closing ones', () => {
    const v6 = '   0: 0000000000000000FFFF0000020012AC:D3C6 0000000000000000FFFF0000050012AC:1F90 01 0 0 0 0 0 3 1';
    const text = [...PROC_HEAD, TO_OLD, TIME_WAIT_TO_OLD, v6, ''].join('\n');
    expect(openConnectionsTo(text, new Set([`${OLD_IP}:8080`]))).toBe(2);
    // A connection of the old instance's own to the edge, or to another port of it, is no request to drain.
    expect(openConnectionsTo(text, new Set([`${OLD_IP}:9090`]))).toBe(0);
    expect(openConnectionsTo(text, new Set(['172.18.0.6:8080']))).toBe(0);
    expect(openConnectionsTo('', new Set([`${OLD_IP}:8080`]))).toBe(0);
  });
});

describe('drainAndRemove', () => {
  let dir: string;
  let admin: Server | null;
  let events: string[];
  /** What each poll of the edge answers, in turn; the last one repeats. */
  let caddyCounts: number[];
  let socketCounts: number[];
  let logged: string[];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'drain-'));
    events = [];
    logged = [];
    caddyCounts = [0];
    socketCounts = [0];
    admin = null;
  });

  afterEach(async () => {
    if (admin) await new Promise((resolve) => admin!.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const next = (counts: number[]) => (counts.length > 1 ? counts.shift()! : counts[0]!);

  /** A stand-in for Caddy's admin API on the edge's socket: each upstreams poll takes the next count. */
  async function startAdmin() {
    admin = createServer((req, res) => {
      if (req.headers.host !== 'slipway-edge' || req.url !== '/reverse_proxy/upstreams') {
        res.writeHead(404).end();
        return;
      }
      const count = next(caddyCounts);
      events.push(`caddy ${count}`);
      const body = [
        ...(count > 0 ? [{ address: `${OLD}:8080`, num_requests: count, fails: 0 }] : []),
        { address: `${NEW}:8080`, num_requests: 4, fails: 0 },
      ];
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => admin!.listen(path.join(dir, ADMIN_SOCKET_NAME), resolve));
  }

  function fakeRun(options: { edge: boolean }): RunContext {
    const container = (id: string) => {
      if (id === EDGE_CONTAINER) {
        return {
          exec: async () => ({
            start: async () => {
              const count = next(socketCounts);
              events.push(`sockets ${count}`);
              return execOutput([...PROC_HEAD, ...Array<string>(count).fill(TO_OLD), ''].join('\n'));
            },
          }),
        };
      }
      const gone = Object.assign(new Error('no such container'), { statusCode: 404 });
      return {
        inspect: async () => {
          if (id !== 'old-id') throw gone;
          return {
            Name: `/${OLD}`,
            Config: { Labels: { 'dev.slipway.component': 'web' }, ExposedPorts: { '8080/tcp': {} } },
            State: { Running: true },
            NetworkSettings: {
              Networks: { bridge: { IPAddress: '172.17.0.3' }, 'slipway-edge': { IPAddress: OLD_IP } },
            },
          };
        },
        stop: async () => {
          events.push(`stop ${id}`);
          if (id !== 'old-id') throw gone;
        },
        remove: async () => {
          events.push(`remove ${id}`);
        },
      };
    };
    const host = {
      name: 'srv',
      docker: {
        getContainer: container,
        getVolume: () => ({ inspect: async () => ({ Mountpoint: dir }) }),
      },
      connectUnixSocket: async (socket: string) => connect(socket),
    };
    const edge = { httpPort: 8080, httpsPort: 8443, bind: '127.0.0.1', tls: 'internal', image: 'caddy:2' };
    return {
      ctx: { store: { state: { servers: [{ name: 'srv', ...(options.edge ? { edge } : {}) }] } } },
      app: { name: 'shop', server: 'srv' },
      host,
      spec: loadAppSpec(SPEC).spec!,
      log: { write: (_type: string, line: string) => logged.push(line) },
    } as unknown as RunContext;
  }

  it('waits until Caddy has no request in flight to the old instance, then stops it, and says so', async () => {
    await startAdmin();
    caddyCounts = [2, 1, 0];
    await drainAndRemove(fakeRun({ edge: true }), ['old-id'], FAST);
    expect(events.filter((e) => e.startsWith('caddy') || e.startsWith('stop'))).toEqual([
      'caddy 2',
      'caddy 1',
      'caddy 0',
      'stop old-id',
    ]);
    expect(events.at(-1)).toBe('remove old-id');
    expect(logged).toEqual(['Draining 1 old instance of web (2 requests in flight) …']);
  });

  it("waits for the edge's open connections when Caddy has forgotten the old address already", async () => {
    await startAdmin();
    socketCounts = [3, 3, 1, 0];
    await drainAndRemove(fakeRun({ edge: true }), ['old-id'], FAST);
    expect(events.filter((e) => e.startsWith('sockets') || e.startsWith('stop'))).toEqual([
      'sockets 3',
      'sockets 3',
      'sockets 1',
      'sockets 0',
      'stop old-id',
    ]);
    expect(logged).toEqual(['Draining 1 old instance of web (3 requests in flight) …']);
  });

  it('returns at once when nothing is in flight', async () => {
    await startAdmin();
    await drainAndRemove(fakeRun({ edge: true }), ['old-id'], { maxMs: 60_000, pollMs: 60_000 });
    // Caddy and the sockets are asked together, once.
    expect(events.slice(0, 2).sort()).toEqual(['caddy 0', 'sockets 0']);
    expect(events.slice(2)).toEqual(['stop old-id', 'remove old-id']);
    expect(logged).toEqual(['Draining 1 old instance of web (0 requests in flight) …']);
  });

  it('stops the old instance anyway once the grace period is over', async () => {
    await startAdmin();
    caddyCounts = [1];
    await drainAndRemove(fakeRun({ edge: true }), ['old-id'], { maxMs: 50, pollMs: 5 });
    expect(events.at(-2)).toBe('stop old-id');
    expect(logged).toEqual([
      'Draining 1 old instance of web (1 request in flight) …',
      'Stopping them with 1 request still in flight after 0.05 s',
    ]);
  });

  it("stops at once, with Docker's grace only, without a server edge or when the edge cannot answer", async () => {
    await drainAndRemove(fakeRun({ edge: false }), ['old-id'], FAST);
    expect(events).toEqual(['stop old-id', 'remove old-id']);
    // An edge that is enabled but whose admin socket is not there (the container removed by hand).
    await drainAndRemove(fakeRun({ edge: true }), ['old-id'], FAST);
    expect(events.filter((e) => !e.startsWith('sockets'))).toEqual([
      'stop old-id',
      'remove old-id',
      'stop old-id',
      'remove old-id',
    ]);
    expect(logged).toEqual([
      'Stopping 1 old instance of web (SIGTERM, then up to 10 s to finish) …',
      'Stopping 1 old instance of web (SIGTERM, then up to 10 s to finish) …',
    ]);
  });

  it('removes instances already gone without waiting or failing', async () => {
    await startAdmin();
    await drainAndRemove(fakeRun({ edge: true }), ['gone-id'], FAST);
    expect(events).toEqual(['stop gone-id']);
    expect(logged).toEqual([]);
  });
});
