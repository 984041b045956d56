// Entry of the edge process: `node edge-daemon.mjs <data folder>`; see runEdgeDaemon.
import { runEdgeDaemon } from './edge-daemon';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: edge-daemon <data folder>');
  process.exit(2);
}
runEdgeDaemon(dataDir).catch((err: unknown) => {
  console.error(`slipway edge: ${(err as Error).message}`);
  process.exit(1);
});
