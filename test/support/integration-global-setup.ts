import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Docker from 'dockerode';
import { ensureOfflineImages } from '../../scripts/offline-images.mjs';
import { ensureBusyboxImage } from './busybox-image';
import { endLeftoverEngines, markTestRun } from './engine-checks';
import { ensureLocalDocker } from './local-docker';

/** Vitest global setup for the integration suite: a real local Docker engine with `busybox:stable`, and the CLI bundle. */
export default async function setup(): Promise<() => Promise<void>> {
  markTestRun();
  const engine = await ensureLocalDocker();
  await ensureBusyboxImage(new Docker());
  // Generated builds and static sites start FROM node, python and caddy images: built here, no registry needed.
  await ensureOfflineImages(new Docker(), { log: (line) => console.log(line) });
  // Engines under test start the real edge process from the CLI bundle: build it from the current source.
  execFileSync('npx', ['vite', 'build', '--config', 'vite.cli.config.mts', '--logLevel', 'error'], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: 'inherit',
  });
  return async () => {
    const left = await endLeftoverEngines();
    await engine.stop();
    if (left.length > 0) throw new Error(`Engine processes were left running after the tests: ${left.join(', ')}`);
  };
}
