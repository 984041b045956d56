import type { SlipwayContract } from '../shared/contract';
import type { Client } from '../shared/rpc/client';
import type { EngineAccess } from './engine-access';
import type { CliIO, OutputFormat } from './io';

export type FlagSpec = { type: 'string' | 'boolean'; short?: string; description: string; multiple?: boolean };

export interface CommandContext {
  /** The engine's contract; the first call connects (and starts the engine when none runs). */
  client: Client<SlipwayContract>;
  /** The engine itself, for the commands that look at it without starting it. */
  engine: EngineAccess;
  io: CliIO;
  output: OutputFormat;
  /** Positional arguments after the command's words, by the names the command declares. */
  args: Record<string, string | undefined>;
  flags: Record<string, string | boolean | string[] | undefined>;
  /** Resolves when the process is asked to stop (Ctrl-C), for commands that follow output. */
  interrupted: Promise<void>;
}

export interface Command {
  /** The words that name it: `['apps', 'deploy']`. */
  words: string[];
  /** Positional argument names; a trailing `?` marks an optional one. */
  args: string[];
  flags: Record<string, FlagSpec>;
  summary: string;
  run(ctx: CommandContext): Promise<number>;
}

/** Prints a value as JSON or, for text output, with the command's own formatter. */
export function print(ctx: CommandContext, value: unknown, asText: () => string): void {
  ctx.io.out(ctx.output === 'json' ? JSON.stringify(value, null, 2) : asText());
}
