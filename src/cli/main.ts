import { parseArgs } from 'node:util';
import { contract } from '../shared/contract';
import { SlipwayError } from '../shared/errors';
import { createClient } from '../shared/rpc/client';
import { inProcessTransport } from '../shared/rpc/in-process-transport';
import { SLIPWAY_VERSION } from '../shared/version';
import { createEngine, type Engine } from '../main/engine/engine';
import { systemInfo } from './commands/system';
import type { CliIO, OutputFormat } from './io';

const USAGE = `Usage: slipway <command> [flags]

Commands:
  system info            Slipway's version and the local Docker engine's

Flags:
  -o, --output text|json Output format (default: text)
  -h, --help             Show this help
  -v, --version          Print Slipway's version`;

/** Runs one CLI invocation against an engine in this process; resolves with the exit code. */
export async function runCli(argv: string[], io: CliIO, makeEngine: () => Engine = createEngine): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o', default: 'text' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    io.err(`Error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.out(SLIPWAY_VERSION);
    return 0;
  }
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const output = values.output;
  if (output !== 'text' && output !== 'json') {
    io.err(`Error: --output must be "text" or "json", not "${output}".`);
    return 2;
  }

  const command = positionals.join(' ');
  if (command !== 'system info') {
    io.err(`Error: unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }

  const engine = makeEngine();
  const client = createClient(contract, inProcessTransport(engine.router));
  try {
    return await systemInfo(client, io, output as OutputFormat);
  } catch (err) {
    reportError(err, io, output as OutputFormat);
    return 1;
  } finally {
    await engine.close();
  }
}

function reportError(err: unknown, io: CliIO, output: OutputFormat): void {
  const payload =
    err instanceof SlipwayError
      ? err.toPayload()
      : { code: 'INTERNAL', message: (err as Error)?.message ?? String(err) };
  if (output === 'json') io.err(JSON.stringify({ error: payload }, null, 2));
  else io.err(`Error [${payload.code}]: ${payload.message}`);
}
