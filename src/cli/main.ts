import { parseArgs, type ParseArgsConfig } from 'node:util';
import { contract } from '../shared/contract';
import { SlipwayError } from '../shared/errors';
import { createClient } from '../shared/rpc/client';
import type { Transport } from '../shared/rpc/transport';
import { SLIPWAY_VERSION } from '../shared/version';
import type { EngineConnection } from '../main/engine/daemon/local-socket-client';
import type { Command } from './command';
import { appsCommands } from './commands/apps';
import { engineCommands } from './commands/engine';
import type { EngineAccess } from './engine-access';
import { serversCommands } from './commands/servers';
import { systemCommands } from './commands/system';
import { terminalSafeIO, type CliIO, type OutputFormat } from './io';

const COMMANDS: Command[] = [...systemCommands, ...appsCommands, ...serversCommands, ...engineCommands];

const GLOBAL_FLAGS = {
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  raw: { type: 'boolean' },
} as const;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => signature(c).length));
  return [
    'Usage: slipway <command> [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${signature(c).padEnd(width)}  ${c.summary}`),
    '',
    'Flags:',
    '  -o, --output text|json  Output format (default: text)',
    '  -h, --help              Show help (also after a command)',
    '  -v, --version           Print Slipway’s version',
    '      --raw               Print build and run output as it came, terminal control sequences included',
  ].join('\n');
}

function signature(command: Command): string {
  const args = command.args.map((a) => (a.endsWith('?') ? `[${a.slice(0, -1).toUpperCase()}]` : a.toUpperCase()));
  return [...command.words, ...args].join(' ');
}

function commandHelp(command: Command): string {
  const flags = Object.entries(command.flags).map(
    ([name, f]) =>
      `  ${f.short ? `-${f.short}, ` : ''}--${name}${f.type === 'string' ? ' VALUE' : ''}  ${f.description}`,
  );
  return [
    `Usage: slipway ${signature(command)} [flags]`,
    '',
    command.summary,
    ...(flags.length ? ['', 'Flags:', ...flags] : []),
  ].join('\n');
}

/**
 * The command named by the first words of argv, the longest match first.
 * Global flags may stand anywhere (`slipway -o json apps list`), so the words
 * are the positionals of a parse that knows only the global flags.
 */
function findCommand(argv: string[]): Command | undefined {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: GLOBAL_FLAGS });
  return [...COMMANDS]
    .sort((a, b) => b.words.length - a.words.length)
    .find((c) => c.words.every((w, i) => positionals[i] === w));
}

/**
 * A transport that connects on its first use, and a promise that rejects if
 * the connection is lost while the command still runs.
 */
function connectOnFirstUse(engine: EngineAccess): {
  transport: Transport;
  lost: Promise<never>;
  close(): void;
} {
  let connecting: Promise<EngineConnection> | null = null;
  let done = false;
  let onLost: (err: SlipwayError) => void = () => undefined;
  const lost = new Promise<never>((_, reject) => (onLost = reject));
  const connection = () =>
    (connecting ??= engine.connect().then((c) => {
      void c.closed.then(() => {
        if (!done)
          onLost(
            new SlipwayError(
              'ENGINE_LOST',
              `Lost the connection to the Slipway engine (pid ${c.engine.pid}); see ${engine.paths.log}. Run the command again to start a new one.`,
              { pid: c.engine.pid, log: engine.paths.log },
            ),
          );
      });
      return c;
    }));
  return {
    transport: {
      call: async (name, request) => (await connection()).transport.call(name, request),
      subscribe: async (name, params, onEvent) => (await connection()).transport.subscribe(name, params, onEvent),
    },
    lost,
    close() {
      done = true;
      void connecting?.then(
        (c) => c.close(),
        () => undefined,
      );
    },
  };
}

/** Runs one CLI invocation against the data folder's engine; resolves with the exit code. */
export async function runCli(
  argv: string[],
  given: CliIO,
  engine: EngineAccess,
  interrupted: Promise<void> = new Promise(() => undefined),
): Promise<number> {
  const command = findCommand(argv);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...GLOBAL_FLAGS, ...(command?.flags ?? {}) } as ParseArgsConfig['options'],
    });
  } catch (err) {
    terminalSafeIO(given, 'text').err(
      `Error: ${(err as Error).message}\n\n${command ? commandHelp(command) : usage()}`,
    );
    return 2;
  }
  const positionals = parsed.positionals;
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const io = values.raw === true ? given : terminalSafeIO(given, values.output === 'json' ? 'json' : 'text');
  if (values.version) {
    io.out(SLIPWAY_VERSION);
    return 0;
  }
  if (!command) {
    if (positionals.length > 0) io.err(`Error: unknown command "${positionals.join(' ')}".\n\n${usage()}`);
    else io.out(usage());
    return values.help ? 0 : 2;
  }
  if (values.help) {
    io.out(commandHelp(command));
    return 0;
  }
  const output = (values.output ?? 'text') as string;
  if (output !== 'text' && output !== 'json') {
    io.err(`Error: --output must be "text" or "json", not "${output}".`);
    return 2;
  }
  const rest = positionals.slice(command.words.length);
  const maxArgs = command.args.length;
  const minArgs = command.args.filter((a) => !a.endsWith('?')).length;
  if (rest.length < minArgs || rest.length > maxArgs) {
    io.err(`Error: expected ${signature(command)}.\n\n${commandHelp(command)}`);
    return 2;
  }
  const args = Object.fromEntries(command.args.map((name, i) => [name.replace(/\?$/, ''), rest[i]]));

  const link = connectOnFirstUse(engine);
  const client = createClient(contract, link.transport);
  try {
    return await Promise.race([
      command.run({ client, engine, io, output, args, flags: values, interrupted }),
      link.lost,
    ]);
  } catch (err) {
    reportError(err, io, output);
    return 1;
  } finally {
    link.close();
  }
}

function reportError(err: unknown, io: CliIO, output: OutputFormat): void {
  const payload =
    err instanceof SlipwayError
      ? err.toPayload()
      : { code: 'INTERNAL', message: (err as Error)?.message ?? String(err) };
  if (output === 'json') {
    io.err(JSON.stringify({ error: payload }, null, 2));
    return;
  }
  io.err(`Error [${payload.code}]: ${payload.message}`);
}
