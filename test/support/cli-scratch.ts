import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll } from 'vitest';
import { removeSlipwayResources } from './cleanup';
import { scratchDir, stopEdgeProcess } from './deploy-fixtures';
import { runSlipway, stopEngineProcess } from './slipway-process';

/**
 * A scratch folder with a data folder for `slipway` runs, made before the
 * file's tests and removed after them, passed or failed: the apps named are
 * deleted through the CLI, the engine and edge processes stopped by pid, and
 * whatever is still labelled with those apps removed.
 */
export function useCliScratch(prefix: string, apps: readonly string[]): { dir(): string; data(): string } {
  let scratch: Awaited<ReturnType<typeof scratchDir>> | undefined;
  const data = () => path.join(scratch!.dir, 'data');
  beforeAll(async () => {
    scratch = await scratchDir(prefix);
  });
  afterAll(async () => {
    if (!scratch) return;
    for (const app of apps) await runSlipway(data(), ['apps', 'delete', app]).catch(() => undefined);
    await stopEngineProcess(data());
    await stopEdgeProcess(data());
    for (const app of apps) await removeSlipwayResources(new Docker(), { app });
    await scratch.remove();
  });
  return { dir: () => scratch!.dir, data };
}
