import { watch } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { EdgeProxy } from './edge-proxy';
import { edgeRoutesPath, edgeStatePath, readJson, writeJson, type EdgeRoutesFile } from './edge-files';
import { isProcessAlive } from '../base/process-alive';

const connectLoopback = (port: number) => () =>
  new Promise<Duplex>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });

/**
 * The edge process: keeps every local service's stable port answering after
 * the app or the CLI that deployed it has exited. It follows the routes file
 * the engine writes, reports what it applied, and exits once no route is left.
 */
export async function runEdgeDaemon(dataDir: string): Promise<void> {
  const running = await readJson<{ pid: number }>(edgeStatePath(dataDir));
  if (running && running.pid !== process.pid && isProcessAlive(running.pid)) return; // one edge per data folder
  const proxy = new EdgeProxy();
  const applied = new Map<string, string>();
  let version = -1;
  let busy: Promise<void> = Promise.resolve();

  const apply = async () => {
    const wanted = await readJson<EdgeRoutesFile>(edgeRoutesPath(dataDir));
    if (!wanted || wanted.version === version) return;
    const errors: Record<string, string> = {};
    const keys = new Set(wanted.routes.map((r) => r.key));
    for (const key of applied.keys()) {
      if (!keys.has(key)) {
        await proxy.removeRoute(key);
        applied.delete(key);
      }
    }
    for (const route of wanted.routes) {
      try {
        await proxy.setRoutes([
          {
            key: route.key,
            port: route.port,
            upstreams: route.upstreams.map((port) => ({ port, connect: connectLoopback(port) })),
            ...(route.paths ? { paths: route.paths } : {}),
          },
        ]);
        applied.set(route.key, JSON.stringify(route));
      } catch (err) {
        errors[route.key] = (err as Error).message;
      }
    }
    version = wanted.version;
    await writeJson(edgeStatePath(dataDir), { pid: process.pid, version, errors });
    if (wanted.routes.length === 0) {
      await proxy.close();
      await rm(edgeStatePath(dataDir), { force: true });
      process.exit(0);
    }
  };
  const schedule = () => {
    busy = busy.then(apply).catch((err: unknown) => console.error(`slipway edge: ${(err as Error).message}`));
  };

  // Renames into the folder signal a new routes file; a slow poll covers file systems without events.
  watch(dataDir, (_event, file) => {
    if (file === path.basename(edgeRoutesPath(dataDir))) schedule();
  });
  setInterval(schedule, 1000);
  schedule();
  await busy;
}
