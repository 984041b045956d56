import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import Docker from 'dockerode';
import { startBrowserHost, type BrowserHost } from '../support/browser-host';
import { ensureBusyboxImage } from '../support/busybox-image';
import { removeSlipwayResources } from '../support/cleanup';
import { stopEdgeProcess } from '../support/deploy-fixtures';
import { markTestRun } from '../support/engine-checks';
import { startTestEngine, type TestEngine } from '../support/engine-process';
import { ensureLocalDocker, type LocalDocker } from '../support/local-docker';
import { E2E_APP_PREFIX, E2E_ENV } from './e2e-env';

export interface E2eResources {
  docker?: LocalDocker;
  /** The engine's own process, which the browser host relays to as the window's main process does. */
  engine?: TestEngine;
  host?: BrowserHost;
  /** The engine's own scratch data folder: state, logs and the edge process's routes. */
  dataDir?: string;
}

// Global setup and teardown run in the runner's process; globalThis is where they meet.
const RESOURCES = Symbol.for('slipway.e2e.resources');

export function e2eResources(): E2eResources {
  return ((globalThis as Record<symbol, E2eResources | undefined>)[RESOURCES] ??= {});
}

/**
 * Deletes every app the run left behind (through the contract, so the engine
 * removes its containers, images and routes), then anything still labelled
 * with an e2e app's name: only the apps this run created.
 */
async function removeLeftoverApps({ client }: TestEngine, docker: LocalDocker): Promise<void> {
  const apps = await client.apps.list({}).catch(() => []);
  const dockerClient = new Docker({ socketPath: docker.socketPath });
  for (const app of apps) {
    await client.apps.delete({ app: app.name }).catch(() => undefined);
    if (app.name.startsWith(E2E_APP_PREFIX))
      await removeSlipwayResources(dockerClient, { app: app.name }).catch(() => undefined);
  }
}

/** Stops whatever was started, newest first; safe to call twice. */
export async function releaseE2eResources(): Promise<void> {
  const resources = e2eResources();
  const { host, engine, docker, dataDir } = resources;
  resources.host = resources.engine = resources.docker = resources.dataDir = undefined;
  await host?.close();
  if (engine && docker) await removeLeftoverApps(engine, docker);
  await engine?.stop();
  if (dataDir) {
    await stopEdgeProcess(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  }
  await docker?.stop();
}

export default async function globalSetup(_config: FullConfig): Promise<void> {
  markTestRun();
  const resources = e2eResources();
  try {
    resources.docker = await ensureLocalDocker();
    // The engine finds the socket through DOCKER_HOST, like the desktop app would.
    process.env.DOCKER_HOST = `unix://${resources.docker.socketPath}`;
    // examples/hello is FROM busybox:stable: built here from Debian's static busybox, no registry needed.
    await ensureBusyboxImage(new Docker({ socketPath: resources.docker.socketPath }));
    // Folders without a Dockerfile build FROM node, python and caddy images: built offline the same way.
    // Imported when needed: Playwright's loader would compile the plain ES module as CommonJS.
    const { ensureOfflineImages } = await import('../../scripts/offline-images.mjs');
    await ensureOfflineImages(new Docker({ socketPath: resources.docker.socketPath }), {
      log: (line) => console.log(line),
    });
    resources.dataDir = await mkdtemp(path.join(tmpdir(), 'slipway-e2e-'));
    // The engine runs in its own process, as every front end finds it; the run's own SSH files
    // (its HOME) are never the user's: servers and their host keys start unknown.
    resources.engine = await startTestEngine(resources.dataDir, { DOCKER_HOST: process.env.DOCKER_HOST });
    resources.host = await startBrowserHost({ rendererDir: 'out/renderer', router: resources.engine.relay });
  } catch (err) {
    await releaseE2eResources();
    throw err;
  }
  process.env[E2E_ENV.url] = resources.host.url;
  process.env[E2E_ENV.origin] = resources.host.origin;
  process.env[E2E_ENV.dockerSocket] = resources.docker.socketPath;
  process.env[E2E_ENV.sshConfig] = path.join(resources.engine.home, '.ssh', 'config');
  process.env[E2E_ENV.dataDir] = resources.dataDir;
}
