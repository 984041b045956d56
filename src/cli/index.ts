import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../main/engine/store/data-dir';
import { daemonAccess } from './engine-access';
import { processIO } from './io';
import { runCli } from './main';

// The bundle's folder also holds the engine's own process (see vite.cli.config.mts).
const engineScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-daemon.mjs');

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

runCli(process.argv.slice(2), processIO, daemonAccess(defaultDataDir(), engineScript), interrupted).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
