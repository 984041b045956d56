import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** A range of TCP ports, both ends included. */
export interface PortRange {
  first: number;
  last: number;
}

/**
 * Where Slipway picks a service's stable port: above the registered ports
 * most dev servers use (3000, 5432, 8080 …) and below the OS's ephemeral
 * range, from which outgoing connections take ports at random.
 */
export const STABLE_PORTS: PortRange = { first: 20_000, last: 32_767 };

/** The OS's ephemeral port range: Linux says it in /proc; macOS and Windows use IANA's 49152–65535. */
export async function ephemeralPorts(platform: NodeJS.Platform = process.platform): Promise<PortRange> {
  if (platform === 'linux') {
    const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').catch(() => '');
    const [first, last] = text.trim().split(/\s+/).map(Number);
    if (first && last && first <= last) return { first, last };
    return { first: 32_768, last: 60_999 };
  }
  return { first: 49_152, last: 65_535 };
}

/**
 * The candidates for a new stable port, in the order to try them: the stable
 * range less the ports other apps hold and the ephemeral range, starting at
 * `start` (so two installations do not try the same ports in the same order).
 */
export function portCandidates(taken: ReadonlySet<number>, ephemeral: PortRange, start: number): number[] {
  const { first, last } = STABLE_PORTS;
  const size = last - first + 1;
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    const port = first + ((start - first + i + size) % size);
    if (!taken.has(port) && (port < ephemeral.first || port > ephemeral.last)) out.push(port);
  }
  return out;
}

/** True when nothing listens on 127.0.0.1:port now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A stable port for a new service: free now, held by no other app, outside the ephemeral range. */
export async function pickStablePort(taken: ReadonlySet<number>, isFree = portIsFree): Promise<number> {
  const start = STABLE_PORTS.first + Math.floor(Math.random() * (STABLE_PORTS.last - STABLE_PORTS.first + 1));
  for (const port of portCandidates(taken, await ephemeralPorts(), start)) {
    if (await isFree(port)) return port;
  }
  throw new Error(`No free port between ${STABLE_PORTS.first} and ${STABLE_PORTS.last} on 127.0.0.1.`);
}
