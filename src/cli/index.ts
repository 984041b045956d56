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

/** Exits once what was written has left: to a pipe, writes are asynchronous and exit would cut them off. */
async function exitAfterFlush(code: number): Promise<never> {
  const drained = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

runCli(process.argv.slice(2), processIO, daemonAccess(defaultDataDir(), engineScript), interrupted).then(
  (code) => exitAfterFlush(code),
  (err: unknown) => {
    process.stderr.write(`Error: ${(err as Error)?.message ?? String(err)}\n`);
    return exitAfterFlush(1);
  },
);
