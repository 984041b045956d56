import type { FullConfig } from '@playwright/test';
import { endLeftoverEngines } from '../support/engine-checks';
import { releaseE2eResources } from './global-setup';

export default async function globalTeardown(_config: FullConfig): Promise<void> {
  await releaseE2eResources();
  const left = await endLeftoverEngines();
  if (left.length > 0) throw new Error(`Engine processes were left running after the tests: ${left.join(', ')}`);
}
