import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { expect } from 'vitest';
import { lineSplitter } from '../../src/main/engine/base/line-splitter';
import { enginePaths } from '../../src/main/engine/daemon/engine-paths';
import type { contract } from '../../src/shared/contract';
import type { Client } from '../../src/shared/rpc/client';
import { engineStatus, isAlive } from './slipway-process';

/** A raw connection to an engine's local socket: what it heard (parsed), and when the engine hung up. */
export interface EngineSocketPeer {
  socket: net.Socket;
  lines: unknown[];
  closed: Promise<void>;
}

/**
 * What is wrong, if anything, with the engine process `pid` of a data folder
 * after a hostile front end had its go: it must still run, be the one a new
 * CLI call reaches (not a replacement started meanwhile), and answer `client`,
 * a front end that stayed connected throughout.
 */
export async function engineProblem(dataDir: string, pid: number, client: Client<typeof contract>) {
  if (!isAlive(pid)) return 'the engine process is gone';
  const listed = await client.apps.list().catch(() => null);
  if (!listed) return 'the front end that stayed connected is not answered';
  // Last: a relay that lost its engine would have started a new one to answer the call above.
  const status = await engineStatus(dataDir).catch(() => null);
  if (!status?.running) return 'a new CLI call finds no engine';
  if (status.pid !== pid) return 'another engine process answers';
  return null;
}

/** A process's resident memory, in bytes. */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/** A raw connection to a data folder's engine socket that has greeted it, as a front end of `version` would. */
export async function greetedPeer(dataDir: string, version: string): Promise<EngineSocketPeer> {
  const paths = enginePaths(dataDir);
  const token = (await readFile(paths.token, 'utf8')).trim();
  const socket = net.createConnection(paths.socket);
  const split = lineSplitter();
  const lines: unknown[] = [];
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (chunk) => lines.push(...split.push(chunk).map((line) => JSON.parse(line) as unknown)));
  // The engine hangs up on this peer while it still writes: that is the point.
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(`${JSON.stringify({ t: 'hello', token, version })}\n`);
  await expect.poll(() => lines.length).toBe(1);
  expect(lines[0]).toMatchObject({ t: 'welcome' });
  return { socket, lines, closed };
}

/**
 * Writes one line that never ends until the engine hangs up, or up to
 * `limitBytes` (then this side hangs up); resolves with the bytes written.
 */
export async function offerEndlessLine(peer: EngineSocketPeer, limitBytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let ended = false;
  void peer.closed.then(() => (ended = true));
  let sent = 0;
  for (; !ended && sent < limitBytes; sent += chunk.length) {
    if (!peer.socket.write(chunk)) {
      await Promise.race([new Promise((resolve) => peer.socket.once('drain', resolve)), peer.closed]);
    }
  }
  if (!ended) peer.socket.destroy();
  await peer.closed;
  return sent;
}
