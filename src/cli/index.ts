import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../main/engine/engine';
import { processIO } from './io';
import { runCli } from './main';

// The bundle's folder also holds the edge process (see vite.cli.config.mts).
const edgeScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'edge-daemon.mjs');

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

runCli(process.argv.slice(2), processIO, () => createEngine({ edgeProcess: { script: edgeScript } }), interrupted).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
