import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { SlipwayError } from '../../../shared/errors';
import { ADMIN_ORIGIN, type CaddyConfig, SERVERS_PATH, type CaddyServers } from './caddy-config';

export interface AdminAnswer {
  status: number;
  body: string;
  /** Caddy sends the config's ETag as a trailer on a GET of /config/ (and as a header on some versions). */
  etag: string | null;
}

/** One upstream of Caddy's reverse proxies, as `GET /reverse_proxy/upstreams` reports it. */
export interface UpstreamStatus {
  /** As the config dials it: `<container name>:<port>` on a server's edge. */
  address: string;
  /** Requests proxied to it that have not finished yet. */
  numRequests: number;
  fails: number;
}

const REQUEST_TIMEOUT_MS = 30_000;
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * A client of Caddy's admin API over a stream Slipway opens itself (a forwarded Unix socket on the
 * server): the admin API is never on a TCP port. Every request names the one Host the config allows.
 */
export class CaddyAdmin {
  constructor(private readonly open: () => Promise<Duplex>) {}

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<AdminAnswer> {
    const stream = await this.open();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<AdminAnswer>((resolve, reject) => {
      const req = request(
        {
          createConnection: () => stream as never,
          host: ADMIN_ORIGIN,
          method,
          path,
          // Node would add `:80`, which the config's one allowed origin does not match.
          headers: {
            Host: ADMIN_ORIGIN,
            ...headers,
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}),
          },
          timeout: REQUEST_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) res.destroy(new Error('the admin API answered more than 8 MiB'));
            else chunks.push(chunk);
          });
          res.on('end', () => {
            stream.destroy();
            const etag = res.headers.etag ?? res.trailers.etag ?? null;
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), etag });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('the admin API did not answer in 30 s')));
      req.on('error', (err) => {
        stream.destroy();
        reject(new SlipwayError('EDGE_FAILED', `The edge's admin API cannot be reached: ${err.message}`));
      });
      req.end(payload);
    });
  }

  /** The running config and its ETag (null config for a Caddy that runs none). */
  async config(): Promise<{ config: CaddyConfig | null; etag: string }> {
    const answer = await this.send('GET', '/config/');
    if (answer.status !== 200) throw adminError('read its config', answer);
    if (!answer.etag) throw new SlipwayError('EDGE_FAILED', 'The edge answered its config without an ETag.');
    return { config: JSON.parse(answer.body || 'null') as CaddyConfig | null, etag: answer.etag };
  }

  /** Replaces the whole config. */
  async load(config: CaddyConfig): Promise<void> {
    const answer = await this.send('POST', '/load', config);
    if (answer.status !== 200) throw adminError('load its config', answer);
  }

  /**
   * Replaces both servers' routes in one call, only if the config is still the one `etag` names: a
   * change made meanwhile fails (412) instead of being overwritten.
   */
  async replaceServers(servers: CaddyServers, etag: string): Promise<void> {
    const answer = await this.send('PATCH', SERVERS_PATH, servers, { 'If-Match': etag });
    if (answer.status === 412) {
      throw new SlipwayError('EDGE_FAILED', "The edge's config changed while Slipway changed it; deploy again.");
    }
    if (answer.status !== 200) throw adminError('change its routes', answer);
  }

  /**
   * The upstreams the running config's reverse proxies dial, with the requests in flight to each.
   * Caddy forgets an address as soon as no config names it, even with requests to it still running.
   */
  async upstreams(): Promise<UpstreamStatus[]> {
    const answer = await this.send('GET', '/reverse_proxy/upstreams');
    if (answer.status !== 200) throw adminError('list its upstreams', answer);
    return parseUpstreams(answer.body);
  }
}

/** The upstreams of an answer of `GET /reverse_proxy/upstreams`; a body of another shape is EDGE_FAILED. */
export function parseUpstreams(body: string): UpstreamStatus[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed))
    throw new SlipwayError('EDGE_FAILED', 'The edge answered its upstreams in an unknown shape.');
  return parsed.map((entry: unknown) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    if (typeof e.address !== 'string' || typeof e.num_requests !== 'number') {
      throw new SlipwayError('EDGE_FAILED', 'The edge answered an upstream without its address or request count.');
    }
    return { address: e.address, numRequests: e.num_requests, fails: typeof e.fails === 'number' ? e.fails : 0 };
  });
}

function adminError(what: string, answer: AdminAnswer): SlipwayError {
  const text = answer.body.trim().slice(0, 500);
  return new SlipwayError(
    'EDGE_FAILED',
    `The edge refused to ${what} (HTTP ${answer.status})${text ? `: ${text}` : ''}`,
  );
}
