#!/usr/bin/env node
// The CLI is bundled by `npm run build`; this file only finds it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/index.mjs', import.meta.url));
if (!existsSync(bundle)) {
  console.error('Slipway CLI is not built yet: run `npm run build` first.');
  process.exit(1);
}
await import(bundle);
