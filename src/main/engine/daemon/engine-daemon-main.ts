import path from 'node:path';
import { defaultDataDir } from '../store/data-dir';
import { idleMsFromEnv, runEngineDaemon } from './engine-daemon';

// The entry of the engine's own process, bundled beside the edge process (`engine-daemon.mjs`
// next to `edge-daemon.mjs` for the CLI, `.js` in the desktop app).
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} [${process.pid}] ${line}\n`);
const script = process.argv[1] ?? '';
const edgeScript = path.join(path.dirname(script), `edge-daemon${path.extname(script)}`);

// A stray rejection must not end the deployments in flight: it is recorded, and the engine carries on.
process.on('unhandledRejection', (reason) => log(`Unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`));

// No top-level await: the desktop app bundles this as CommonJS.
Promise.resolve()
  .then(() => runEngineDaemon({ dataDir: defaultDataDir(), idleMs: idleMsFromEnv(), edgeScript, log }))
  .then(
    (code) => process.exit(code),
    (err: unknown) => {
      log(`The engine stopped on an error: ${(err as Error)?.stack ?? String(err)}`);
      process.exit(1);
    },
  );
