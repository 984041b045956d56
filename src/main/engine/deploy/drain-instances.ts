/*
 * The old instances' last step, as kamal-proxy orders it: the route has moved already, so no new
 * request reaches them; the requests the server's edge still has in flight to them finish (bounded
 * by a grace period), and only then are they stopped (SIGTERM, then Docker's stop grace) and removed.
 *
 * Caddy counts requests per upstream address (`GET /reverse_proxy/upstreams`), but forgets an address
 * the moment no config names it, while its previous config still proxies the requests it accepted
 * before the switch. Those are seen instead as the edge's open TCP connections to the old instances.
 */
import type { Duplex } from 'node:stream';
import { LABELS } from '../../../shared/labels';
import { removeContainers } from '../docker/containers';
import { execFrameReader } from '../docker/exec-frames';
import type { UpstreamStatus } from '../edge/caddy-admin';
import { EDGE_CONTAINER, edgeAdmin } from '../edge/server-edge-container';
import type { DockerHost } from '../hosts/docker-host';
import type { RunContext } from './run-context';
import { serverEdge } from './server-edge-routes';

export interface DrainTiming {
  /** The longest old instances wait for their requests before they stop anyway. */
  maxMs: number;
  pollMs: number;
}

/**
 * DigitalOcean's `termination.drain_seconds` is not read yet (the spec warns it is ignored): every
 * service gets this bound, long enough for ordinary requests, short enough not to stall a deploy.
 */
export const DRAIN_TIMING: DrainTiming = { maxMs: 10_000, pollMs: 100 };

/** Docker's stop grace: how long an instance has after SIGTERM before it is killed. */
const STOP_GRACE_SECONDS = 10;
const EXEC_TIMEOUT_MS = 5_000;
/** /proc/net/tcp states of a connection that may still carry a request: established, or being opened. */
const OPEN_STATES = new Set(['01', '02']);
const V4_MAPPED_PREFIX = '0000000000000000FFFF0000';

interface OldInstance {
  id: string;
  /** Its container name, which is its upstream address on the server's edge (with the port). */
  name: string;
  component: string;
  running: boolean;
  /** Where the edge dials it once it resolved its name: each address on its networks, with each port it exposes. */
  addresses: string[];
}

/** Requests in flight to any of the named containers, found by their upstream address `<name>:<port>`. */
export function requestsInFlight(upstreams: readonly UpstreamStatus[], names: ReadonlySet<string>): number {
  let total = 0;
  for (const u of upstreams) {
    const colon = u.address.lastIndexOf(':');
    if (names.has(colon < 0 ? u.address : u.address.slice(0, colon))) total += u.numRequests;
  }
  return total;
}

/** An IPv4 address of /proc/net/tcp (hex, host byte order, here little-endian), or of tcp6 when IPv4-mapped. */
function procAddress(hex: string): string | null {
  const v4 = hex.length === 32 && hex.toUpperCase().startsWith(V4_MAPPED_PREFIX) ? hex.slice(24) : hex;
  if (!/^[0-9A-Fa-f]{8}$/.test(v4)) return null;
  return [6, 4, 2, 0].map((i) => parseInt(v4.slice(i, i + 2), 16)).join('.');
}

/**
 * The open connections in the text of /proc/net/tcp (and tcp6) whose remote end is one of `addresses`
 * (`ip:port`): the edge's connections to an old instance's own port, not those the instance opened.
 */
export function openConnectionsTo(procNetTcp: string, addresses: ReadonlySet<string>): number {
  let total = 0;
  for (const line of procNetTcp.split('\n')) {
    const [, , remote, state] = line.trim().split(/\s+/);
    if (!remote || !state || !OPEN_STATES.has(state)) continue;
    const [hexIp, hexPort] = remote.split(':');
    const ip = procAddress(hexIp ?? '');
    if (ip && addresses.has(`${ip}:${parseInt(hexPort ?? '', 16)}`)) total++;
  }
  return total;
}

/**
 * Polls `inFlight` until it reports none or `timing.maxMs` passes, starting from a count already read;
 * returns the last count (0 once drained). A poll that fails ends the wait: nothing more can be known.
 */
export async function waitDrained(
  inFlight: () => Promise<number>,
  first: number,
  timing: DrainTiming = DRAIN_TIMING,
): Promise<number> {
  const deadline = Date.now() + timing.maxMs;
  let count = first;
  while (count > 0 && Date.now() < deadline) {
    // Polls a condition, bounded by the deadline: Caddy does not notify when a request ends.
    await new Promise((resolve) => setTimeout(resolve, timing.pollMs));
    const next = await inFlight().catch(() => null);
    if (next === null) return count;
    count = next;
  }
  return count;
}

/** The edge container's TCP sockets, as its /proc/net/tcp and tcp6 list them. */
async function edgeSockets(host: DockerHost): Promise<string> {
  const exec = await host.docker.getContainer(EDGE_CONTAINER).exec({
    Cmd: ['cat', '/proc/net/tcp', '/proc/net/tcp6'],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const reader = execFrameReader();
  const out: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => stream.destroy(new Error('the edge did not list its sockets in 5 s')),
      EXEC_TIMEOUT_MS,
    );
    const done = (err?: Error) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    stream.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) if (frame.stream === 'stdout') out.push(frame.data);
    });
    stream.once('end', () => done());
    stream.once('close', () => done());
    stream.once('error', done);
  });
  return Buffer.concat(out).toString('utf8');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function describeOld(run: RunContext, ids: readonly string[]): Promise<OldInstance[]> {
  const out: OldInstance[] = [];
  for (const id of ids) {
    const info = await run.host.docker
      .getContainer(id)
      .inspect()
      .catch(() => null);
    if (!info) continue;
    out.push({
      id,
      name: info.Name.replace(/^\//, ''),
      component: info.Config.Labels?.[LABELS.component] ?? 'app',
      running: Boolean(info.State.Running),
      addresses: Object.values(info.NetworkSettings.Networks ?? {})
        .map((n) => n.IPAddress)
        .filter(Boolean)
        .flatMap((ip) => Object.keys(info.Config.ExposedPorts ?? {}).map((p) => `${ip}:${p.split('/')[0]}`)),
    });
  }
  return out;
}

/**
 * How to ask the server's edge what it still has in flight to `old`: the larger of Caddy's count and
 * the edge's open connections to them. Null without a server edge, or when it
 * cannot answer (stopped, removed by hand), since it then sends them nothing either.
 */
async function edgeProbe(
  run: RunContext,
  old: readonly OldInstance[],
): Promise<{ probe: () => Promise<number>; first: number } | null> {
  const edge = serverEdge(run.ctx, run.app, run.host);
  if (!edge || old.length === 0) return null;
  const admin = await edgeAdmin(edge.host).catch(() => null);
  if (!admin) return null;
  const names = new Set(old.map((o) => o.name));
  const addresses = new Set(old.flatMap((o) => o.addresses));
  const probe = async () => {
    const [upstreams, sockets] = await Promise.all([
      admin.upstreams(),
      // An image without `cat` leaves Caddy's count alone to go by.
      edgeSockets(edge.host).catch(() => ''),
    ]);
    return Math.max(requestsInFlight(upstreams, names), openConnectionsTo(sockets, addresses));
  };
  const first = await probe().catch(() => null);
  return first === null ? null : { probe, first };
}

/**
 * After the switch: waits until the server's edge has no request in flight to these old instances
 * (bounded by `timing.maxMs`), then stops them gracefully and removes them. Never fails for the edge.
 */
export async function drainAndRemove(
  run: RunContext,
  ids: readonly string[],
  timing: DrainTiming = DRAIN_TIMING,
): Promise<void> {
  if (ids.length === 0) return;
  const running = (await describeOld(run, ids)).filter((o) => o.running);
  // Every old instance is asked about, whichever spec routed it: the previous one may have, the new one not.
  const edge = await edgeProbe(run, running);
  const byComponent = new Map<string, number>();
  for (const o of running) byComponent.set(o.component, (byComponent.get(o.component) ?? 0) + 1);
  const which = [...byComponent].map(([component, n]) => `${plural(n, 'old instance')} of ${component}`).join(', ');
  if (which) {
    run.log.write(
      'deploy',
      edge
        ? `Draining ${which} (${plural(edge.first, 'request')} in flight) …`
        : `Stopping ${which} (SIGTERM, then up to ${STOP_GRACE_SECONDS} s to finish) …`,
    );
  }
  if (edge) {
    const left = await waitDrained(edge.probe, edge.first, timing);
    if (left > 0) {
      run.log.write(
        'deploy',
        `Stopping them with ${plural(left, 'request')} still in flight after ${timing.maxMs / 1000} s`,
      );
    }
  }
  await removeContainers(run.host, [...ids], STOP_GRACE_SECONDS);
}
