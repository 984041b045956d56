import type { FullConfig } from '@playwright/test';
import { releaseE2eResources } from './global-setup';

export default async function globalTeardown(_config: FullConfig): Promise<void> {
  await releaseE2eResources();
}
