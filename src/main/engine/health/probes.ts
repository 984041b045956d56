import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { withTimeout } from '../base/with-timeout';
import type { DockerHost } from '../hosts/docker-host';

/** A connection (an SSH channel for a server) that came after its probe gave up. */
const closeSocket = (socket: Duplex) => socket.destroy();

export type ProbeResult = { ok: true } | { ok: false; reason: string };

/**
 * How long an accepted connection must stay open to count. Docker's port proxy accepts on the
 * published port whether or not the app listens yet, and closes at once when nothing does: "at
 * once" is the proxy's own connect plus the way back, so the wait scales with how long our connect
 * took (a server over SSH is slower than this machine), within these bounds.
 */
export const TCP_HOLD_MS = { min: 100, max: 300 };

/** The hold for a connection that took `connectMs` to open. */
export function tcpHoldMs(connectMs: number): number {
  return Math.round(Math.min(TCP_HOLD_MS.max, Math.max(TCP_HOLD_MS.min, 50 + 4 * connectMs)));
}

/** Connects to a port on the host's loopback; healthy when it accepts and the connection stays open. */
export async function probeTcp(host: DockerHost, port: number, timeoutMs: number): Promise<ProbeResult> {
  try {
    const started = performance.now();
    const socket = await withTimeout(host.connectLoopback(port), timeoutMs, { late: closeSocket });
    const hold = tcpHoldMs(performance.now() - started);
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.min(hold, timeoutMs));
      const gone = () => {
        clearTimeout(timer);
        resolve(true);
      };
      socket.once('end', gone);
      socket.once('close', gone);
      socket.once('error', gone);
      socket.resume();
    });
    socket.destroy();
    return closed
      ? { ok: false, reason: `port ${port}: the connection was closed at once (nothing listens yet)` }
      : { ok: true };
  } catch (err) {
    return { ok: false, reason: `port ${port}: ${describe(err)}` };
  }
}

/** GETs a path on a port of the host's loopback; healthy on a 2xx or 3xx answer. */
export async function probeHttp(host: DockerHost, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  let socket: Duplex | undefined;
  try {
    socket = await withTimeout(host.connectLoopback(port), timeoutMs, { late: closeSocket });
    const connected = socket;
    const status = await withTimeout(
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'GET',
            createConnection: () => connected as never,
            headers: { Connection: 'close', 'User-Agent': 'Slipway-Health-Check' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      }),
      timeoutMs,
    );
    if (status >= 200 && status < 400) return { ok: true };
    return { ok: false, reason: `GET ${path} on port ${port} answered ${status}` };
  } catch (err) {
    return { ok: false, reason: `GET ${path} on port ${port}: ${describe(err)}` };
  } finally {
    socket?.destroy();
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e?.code ?? e?.message ?? String(err);
}
