import type { FullConfig } from '@playwright/test';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import { startBrowserHost, type BrowserHost } from '../support/browser-host';
import { ensureLocalDocker, type LocalDocker } from '../support/local-docker';
import { E2E_ENV } from './e2e-env';

export interface E2eResources {
  docker?: LocalDocker;
  engine?: Engine;
  host?: BrowserHost;
}

// Global setup and teardown run in the runner's process; globalThis is where they meet.
const RESOURCES = Symbol.for('slipway.e2e.resources');

export function e2eResources(): E2eResources {
  return ((globalThis as Record<symbol, E2eResources | undefined>)[RESOURCES] ??= {});
}

/** Stops whatever was started, newest first; safe to call twice. */
export async function releaseE2eResources(): Promise<void> {
  const resources = e2eResources();
  const { host, engine, docker } = resources;
  resources.host = resources.engine = resources.docker = undefined;
  await host?.close();
  await engine?.close();
  await docker?.stop();
}

export default async function globalSetup(_config: FullConfig): Promise<void> {
  const resources = e2eResources();
  try {
    resources.docker = await ensureLocalDocker();
    // The engine finds the socket through DOCKER_HOST, like the desktop app would.
    process.env.DOCKER_HOST = `unix://${resources.docker.socketPath}`;
    resources.engine = createEngine();
    resources.host = await startBrowserHost({ rendererDir: 'out/renderer', router: resources.engine.router });
  } catch (err) {
    await releaseE2eResources();
    throw err;
  }
  process.env[E2E_ENV.url] = resources.host.url;
  process.env[E2E_ENV.origin] = resources.host.origin;
  process.env[E2E_ENV.dockerSocket] = resources.docker.socketPath;
}
