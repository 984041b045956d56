import { processIO } from './io';
import { runCli } from './main';

runCli(process.argv.slice(2), processIO).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
