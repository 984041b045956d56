import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { SlipwayError } from '../../../shared/errors';
import { ensurePrivateDir } from '../store/private-files';
import {
  edgeRoutesPath,
  edgeStatePath,
  readJson,
  writeJson,
  type EdgeRouteEntry,
  type EdgeRoutesFile,
  type EdgeStateFile,
} from './edge-files';
import type { RouteChange, ServiceRouter, Upstream } from './service-router';
import { isProcessAlive } from '../base/process-alive';

export interface EdgeProcessOptions {
  dataDir: string;
  /** The bundled edge entry (`out/edge/edge-daemon.mjs`). */
  script: string;
  /** The Node to run it with: `process.execPath` (Electron runs it as Node). */
  execPath?: string;
}

const APPLY_TIMEOUT_MS = 5000;

/**
 * The engine's side of the edge process: it writes the routes the engine
 * wants, starts the process when none runs, and waits until it has applied
 * them. Closing it leaves the process serving: that is its purpose.
 */
export class EdgeProcessClient implements ServiceRouter {
  private readonly routes = new Map<string, Omit<EdgeRouteEntry, 'key'>>();
  private version = 0;
  private loaded: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EdgeProcessOptions) {}

  private load(): Promise<void> {
    // Start from what a previous engine left, so an unchanged app keeps its route across restarts.
    this.loaded ??= readJson<EdgeRoutesFile>(edgeRoutesPath(this.options.dataDir)).then((file) => {
      this.version = file?.version ?? 0;
      for (const { key, ...route } of file?.routes ?? []) this.routes.set(key, route);
    });
    return this.loaded;
  }

  setRoute(key: string, port: number, upstreams: Upstream[]): Promise<void> {
    return this.setRoutes([{ key, port, upstreams }]);
  }

  setRoutes(changes: RouteChange[]): Promise<void> {
    return this.change(async () => {
      const before = new Map(changes.map(({ key }) => [key, this.routes.get(key)]));
      for (const { key, port, upstreams, paths } of changes)
        this.routes.set(key, { port, upstreams: upstreams.map((u) => u.port), ...(paths ? { paths } : {}) });
      const state = await this.publish();
      const failed = changes.find(({ key }) => state.errors[key]);
      if (!failed) return;
      // All or none: the routes go back to what they were, so the version serving keeps serving.
      for (const [key, route] of before) {
        if (route) this.routes.set(key, route);
        else this.routes.delete(key);
      }
      await this.publish();
      throw new SlipwayError('DEPLOY_FAILED', state.errors[failed.key]!, { port: failed.port });
    });
  }

  async routeKeys(): Promise<string[]> {
    await this.change(async () => undefined);
    return [...this.routes.keys()];
  }

  removeRoute(key: string): Promise<void> {
    return this.change(async () => {
      if (this.routes.delete(key)) await this.publish();
    });
  }

  removeRoutesWithPrefix(prefix: string): Promise<void> {
    return this.change(async () => {
      const keys = [...this.routes.keys()].filter((k) => k.startsWith(prefix));
      for (const key of keys) this.routes.delete(key);
      if (keys.length > 0) await this.publish();
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  /** Runs changes one at a time, in order. */
  private change(run: () => Promise<void>): Promise<void> {
    const next = this.queue.then(async () => {
      await this.load();
      await run();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Writes the routes, makes sure the edge process runs, and waits until it has applied them. */
  private async publish(): Promise<EdgeStateFile> {
    const { dataDir } = this.options;
    await ensurePrivateDir(dataDir);
    const version = ++this.version;
    const routes: EdgeRouteEntry[] = [...this.routes].map(([key, r]) => ({ key, ...r }));
    await writeJson(edgeRoutesPath(dataDir), { version, routes } satisfies EdgeRoutesFile);
    const deadline = Date.now() + APPLY_TIMEOUT_MS;
    let started = false;
    for (;;) {
      const state = await readJson<EdgeStateFile>(edgeStatePath(dataDir));
      if (state && state.version >= version && (routes.length > 0 || !isProcessAlive(state.pid))) return state;
      if (routes.length === 0 && (!state || !isProcessAlive(state.pid))) return { pid: 0, version, errors: {} };
      if (!started && (!state || !isProcessAlive(state.pid))) {
        await this.startProcess();
        started = true;
      }
      if (Date.now() > deadline) {
        throw new SlipwayError(
          'DEPLOY_FAILED',
          `Slipway's edge process did not take the new routes within ${APPLY_TIMEOUT_MS / 1000} s; see ${path.join(dataDir, 'logs', 'edge.log')}.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  private async startProcess(): Promise<void> {
    const logDir = path.join(this.options.dataDir, 'logs');
    await ensurePrivateDir(logDir);
    const log = openSync(path.join(logDir, 'edge.log'), 'a', 0o600);
    try {
      const child = spawn(this.options.execPath ?? process.execPath, [this.options.script, this.options.dataDir], {
        detached: true,
        stdio: ['ignore', log, log],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        windowsHide: true,
      });
      child.unref();
    } finally {
      closeSync(log);
    }
  }
}
