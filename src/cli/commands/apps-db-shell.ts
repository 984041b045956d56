/*
 * `slipway apps db shell APP DB`: the database's own client (psql, redis-cli…) at this terminal, inside the
 * database's container. At a terminal, keys go as they are typed (raw mode) and the window's size follows; from a
 * pipe, the client runs without a terminal (as `psql < file` would: no prompt, no echo), the input is sent as it
 * comes and its end closes the client's standard input. The command exits with the client's exit code.
 * What the client prints is passed as it comes, as `docker exec -it` passes it: at a terminal its control sequences
 * are the client's own (line editing, the cursor), so they are not neutralised as the CLI's other output is.
 */
import type { SlipwayContract } from '../../shared/contract';
import { DB_SHELL_MAX_INPUT_BYTES } from '../../shared/domains/db-shell';
import { SlipwayError } from '../../shared/errors';
import type { Client } from '../../shared/rpc/client';
import { hasErrorCode } from '../../shared/rpc/client';
import type { Command } from '../command';
import { processTerminal, type ShellTerminal } from '../shell-terminal';
import { required } from './arguments';

/** Inputs sent but not yet answered above which reading pauses, and at or below which it goes on. */
const PAUSE_ABOVE = 8;
const RESUME_AT = 2;

/** Cuts input into pieces that one `dbShell.input` call carries. */
export function splitInput(chunk: Buffer, max = DB_SHELL_MAX_INPUT_BYTES): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < chunk.length; at += max) pieces.push(chunk.subarray(at, at + max));
  return pieces;
}

export interface DbShellRun {
  client: Pick<Client<SlipwayContract>, 'dbShell'>;
  terminal: ShellTerminal;
  app: string;
  db: string;
  /** Resolves when the process is asked to stop (SIGINT from a pipe's side, SIGTERM). */
  interrupted: Promise<void>;
}

/** Runs one session to its end; resolves with the exit code to exit with. */
export async function runDbShell({ client, terminal, app, db, interrupted }: DbShellRun): Promise<number> {
  const { session } = await client.dbShell.open({ app, db, ...terminal.size(), tty: terminal.interactive });
  let finish: (code: number) => void = () => undefined;
  let fail: (err: unknown) => void = () => undefined;
  const done = new Promise<number>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const unsubscribe = await client.dbShell
    .output({ session }, (event) => {
      if (event.type === 'data') {
        const bytes = Buffer.from(event.data, 'base64');
        if (event.stream === 'stderr') terminal.writeError(bytes);
        else terminal.write(bytes);
        return;
      }
      if (event.reason) terminal.note(`\r\n${event.reason}`);
      finish(event.code ?? 1);
    })
    .catch(async (err: unknown) => {
      await client.dbShell.close({ session }).catch(() => undefined);
      throw err;
    });

  let chain: Promise<unknown> = Promise.resolve();
  let unanswered = 0;
  const send = (piece: Buffer, end = false) => {
    unanswered += 1;
    if (unanswered > PAUSE_ABOVE) terminal.pauseInput();
    chain = chain
      .then(() => client.dbShell.input({ session, data: piece.toString('base64'), ...(end ? { end } : {}) }))
      .catch((err: unknown) => {
        // A session that ended says so on its stream: its exit comes there.
        if (!hasErrorCode(err, 'SESSION_NOT_FOUND')) fail(err);
      })
      .finally(() => {
        unanswered -= 1;
        if (unanswered <= RESUME_AT) terminal.resumeInput();
      });
  };

  const stopResizing = terminal.interactive
    ? terminal.onResize(({ cols, rows }) => void client.dbShell.resize({ session, cols, rows }).catch(() => undefined))
    : () => undefined;
  terminal.setRaw(true);
  try {
    terminal.onInput(
      (chunk) => {
        for (const piece of splitInput(chunk)) send(piece);
      },
      () => send(Buffer.alloc(0), true),
    );
    const stopped = interrupted.then(() => 'interrupted' as const);
    const outcome = await Promise.race([done, stopped]);
    if (outcome === 'interrupted') {
      await client.dbShell.close({ session }).catch(() => undefined);
      return 130;
    }
    return outcome;
  } finally {
    terminal.setRaw(false);
    stopResizing();
    terminal.release();
    unsubscribe();
  }
}

export const dbShellCommand: Command = {
  words: ['apps', 'db', 'shell'],
  args: ['app', 'db'],
  flags: {},
  summary: "Open a database's own client (psql, redis-cli…) in its container; exits with the client's code",
  async run(ctx) {
    const app = required(ctx, 'app');
    const db = required(ctx, 'db');
    if (ctx.output === 'json') {
      throw new SlipwayError('INVALID_REQUEST', 'apps db shell is interactive: it has no JSON output.');
    }
    return runDbShell({ client: ctx.client, terminal: processTerminal(), app, db, interrupted: ctx.interrupted });
  },
};
