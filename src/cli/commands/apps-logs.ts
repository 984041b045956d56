import type { LogLine, LogType } from '../../shared/deployment';
import { SlipwayError } from '../../shared/errors';
import { joinBacklog, type LiveCursor } from '../../shared/logs/merge-lines';
import type { Command } from '../command';
import { required } from './arguments';
import { logLineText } from './format';

/** `slipway apps logs`: build, deploy or run logs, read or followed. */
export const logsCommand: Command = {
  words: ['apps', 'logs'],
  args: ['app', 'component?'],
  flags: {
    type: { type: 'string', description: 'build, deploy or run (default: run)' },
    deployment: { type: 'string', description: 'a deployment id (default: the latest; run: the live one)' },
    follow: { type: 'boolean', short: 'f', description: 'keep printing new lines until Ctrl-C' },
    tail: { type: 'string', description: 'only the last N lines' },
  },
  summary: "Print an app's build, deploy or run logs",
  async run(ctx) {
    const type = (ctx.flags.type ?? 'run') as LogType;
    if (!['build', 'deploy', 'run'].includes(type)) {
      throw new SlipwayError('INVALID_REQUEST', `--type must be build, deploy or run, not "${type}".`);
    }
    const request = {
      app: required(ctx, 'app'),
      type,
      ...(ctx.args.component ? { component: ctx.args.component } : {}),
      ...(typeof ctx.flags.deployment === 'string' ? { deployment: ctx.flags.deployment } : {}),
    };
    const tail = typeof ctx.flags.tail === 'string' ? Number(ctx.flags.tail) : undefined;
    const printLine = (line: LogLine) => ctx.io.out(ctx.output === 'json' ? JSON.stringify(line) : logLineText(line));
    const read = () => ctx.client.apps.readLogs({ ...request, ...(tail ? { tail } : {}) });
    if (ctx.flags.follow !== true) {
      for (const line of await read()) printLine(line);
      return 0;
    }
    // The stream opens before the file is read so that no line falls between
    // the two; the join prints the lines both hold once.
    let heard: LogLine[] | null = [];
    let cursor: LiveCursor | undefined;
    const unsubscribe = await ctx.client.apps.followLogs(request, (batch) => {
      if (heard) heard.push(...batch);
      else for (const line of cursor!.take(batch)) printLine(line);
    });
    try {
      const joined = joinBacklog(await read(), heard);
      heard = null;
      cursor = joined.cursor;
      for (const line of joined.lines) printLine(line);
      await ctx.interrupted;
    } finally {
      unsubscribe();
    }
    return 0;
  },
};
