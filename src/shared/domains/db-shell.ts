/*
 * The `dbShell` domain: a database's own client (psql, redis-cli…) at a terminal, run inside the database's
 * container. A front end opens a session, follows its output, and sends keystrokes and its terminal's size; the
 * session ends when its output stream is unsubscribed, when it is closed, or when the client exits.
 * Bytes cross the contract as base64, since a terminal's are not always UTF-8.
 */
import { z } from 'zod';
import { emits, method, returns, stream } from '../rpc/contract';
import { appNameField, databaseNameField } from './name-fields';

/**
 * The most bytes one `input` call carries (a multiple of 3, so its base64 length bounds it exactly): a paste larger
 * than this is sent in several calls.
 */
export const DB_SHELL_MAX_INPUT_BYTES = 48 * 1024;
/** The most sessions the engine holds open at once, over every app and front end. */
export const DB_SHELL_MAX_SESSIONS = 8;
/** The largest terminal a session is sized to, in columns and rows. */
export const DB_SHELL_MAX_COLS = 1000;
export const DB_SHELL_MAX_ROWS = 500;

/** The base64 length of at most `bytes` bytes. */
export const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

const sessionField = z.string().regex(/^[0-9a-f]{32}$/, 'must be a session id from dbShell.open');
const size = {
  cols: z.number().int().min(1).max(DB_SHELL_MAX_COLS),
  rows: z.number().int().min(1).max(DB_SHELL_MAX_ROWS),
};

/** What a session's output stream emits: its terminal's bytes, then, once, how it ended. */
export type DbShellEvent =
  | {
      type: 'data';
      data: string;
      /** Set for a session without a terminal (`tty: false`) when the client wrote to its standard error. */
      stream?: 'stderr';
    }
  | {
      type: 'exit';
      /** The client's exit code; null when Slipway ended it (closed, hung up) or Docker could not tell. */
      code: number | null;
      /** Why it ended, when Slipway ended it: a sentence for the user. */
      reason?: string;
    };

export const dbShellContract = {
  /**
   * Starts the database's client in its running container, at a terminal of that size (or, with `tty: false`, for
   * input from a pipe: no prompt nor echo, and the end of input ends it); refused DATABASE_NOT_FOUND.
   */
  open: method(
    z.object({ app: appNameField, db: databaseNameField, ...size, tty: z.boolean().default(true) }).strict(),
    returns<{ session: string }>(),
  ),
  /** The session's output, from its start; one viewer per session, and unsubscribing ends the session. */
  output: stream(z.object({ session: sessionField }).strict(), emits<DbShellEvent>()),
  /** Keystrokes (or pasted text) for the client, at most {@link DB_SHELL_MAX_INPUT_BYTES} bytes. */
  input: method(
    z
      .object({
        session: sessionField,
        data: z
          .base64('must be base64')
          .max(base64Length(DB_SHELL_MAX_INPUT_BYTES), 'is over 48 KiB: send it in parts'),
        /** The last input: the client's input ends after it (its standard input closed; Ctrl-D at a terminal). */
        end: z.boolean().optional(),
      })
      .strict(),
    returns<{ ok: true }>(),
  ),
  /** The terminal's new size. */
  resize: method(z.object({ session: sessionField, ...size }).strict(), returns<{ ok: true }>()),
  /** Ends the session: the client is hung up; closing one that already ended is no error. */
  close: method(z.object({ session: sessionField }).strict(), returns<{ closed: boolean }>()),
};
