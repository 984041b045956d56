/*
 * The engine's open database shells: at most a few at once, each with one viewer. A session's output waits
 * (bounded) until its viewer subscribes, and the session ends when that viewer unsubscribes, when it is closed,
 * when its process exits, or when nobody subscribes in time. Nothing here knows Docker: a session runs any
 * {@link TtyProcess}.
 */
import { randomBytes } from 'node:crypto';
import type { DbShellEvent } from '../../../shared/domains/db-shell';
import { SlipwayError } from '../../../shared/errors';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import type { OutputStream, TtyProcess } from '../docker/tty-exec';

export interface DbShellSessionsOptions {
  maxSessions: number;
  /** How long an opened session waits for its viewer before it is hung up. */
  attachTimeoutMs: number;
  /** Output kept for a viewer that has not subscribed yet; more is dropped. */
  maxPendingBytes: number;
  /** The largest `data` event, in bytes before base64. */
  maxEventBytes: number;
  newId?(): string;
}

export const DB_SHELL_SESSION_DEFAULTS = {
  attachTimeoutMs: 30_000,
  maxPendingBytes: 1024 * 1024,
  maxEventBytes: 64 * 1024,
} as const;

interface Session {
  id: string;
  process: TtyProcess | null;
  emit: ((event: DbShellEvent) => void) | null;
  pending: Array<[Buffer, OutputStream]>;
  pendingBytes: number;
  /** Set once the process ended before anyone saw it. */
  exit: DbShellEvent | null;
  timer: NodeJS.Timeout | null;
}

const notFound = (id: string) =>
  new SlipwayError('SESSION_NOT_FOUND', 'That database shell has ended (or never was); open a new one.', {
    session: id,
  });

export class DbShellSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly newId: () => string;

  constructor(private readonly options: DbShellSessionsOptions) {
    this.newId = options.newId ?? (() => randomBytes(16).toString('hex'));
  }

  /** Sessions open now, starting ones included. */
  get size(): number {
    return this.sessions.size;
  }

  /** Starts a session with the process `start` gives; its slot is held while it starts. */
  async open(start: () => Promise<TtyProcess>): Promise<string> {
    if (this.sessions.size >= this.options.maxSessions) {
      throw new SlipwayError(
        'SESSION_LIMIT',
        `${this.options.maxSessions} database shells are open already; close one (its tab or terminal) and try again.`,
        { max: this.options.maxSessions },
      );
    }
    const id = this.newId();
    const session: Session = { id, process: null, emit: null, pending: [], pendingBytes: 0, exit: null, timer: null };
    this.sessions.set(id, session);
    let process: TtyProcess;
    try {
      process = await start();
    } catch (err) {
      this.sessions.delete(id);
      throw err;
    }
    if (this.sessions.get(id) !== session) {
      // Closed (the engine stopping) while it started.
      void process.hangUp().catch(() => undefined);
      throw notFound(id);
    }
    session.process = process;
    process.onData((chunk, stream) => this.output(session, chunk, stream));
    void process.exited.then((code) => this.exited(session, code));
    session.timer = setTimeout(() => this.end(session, null), this.options.attachTimeoutMs);
    session.timer.unref?.();
    return id;
  }

  /** Makes `emit` the session's one viewer: what waited comes first. Unsubscribing ends the session. */
  attach(id: string, emit: (event: DbShellEvent) => void): Unsubscribe {
    const session = this.sessions.get(id);
    if (!session) throw notFound(id);
    if (session.emit) {
      throw new SlipwayError('INVALID_REQUEST', 'That database shell is shown elsewhere already; open a new one.', {
        session: id,
      });
    }
    this.clearTimer(session);
    session.emit = emit;
    for (const [chunk, stream] of session.pending) this.send(session, chunk, stream);
    session.pending = [];
    session.pendingBytes = 0;
    if (session.exit) {
      emit(session.exit);
      this.sessions.delete(id);
    }
    return () => {
      if (this.sessions.get(id) === session) this.end(session, null);
    };
  }

  /** Passes input on; with `end`, the client's input ends after it. */
  input(id: string, data: Buffer, end = false): void {
    const session = this.running(id);
    if (data.length > 0) session.process!.write(data);
    if (end) session.process!.endInput();
  }

  async resize(id: string, cols: number, rows: number): Promise<void> {
    await this.running(id).process!.resize(cols, rows);
  }

  /** Ends a session, telling its viewer; false when there was none of that id. */
  close(id: string, reason = 'Closed.'): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.end(session, { type: 'exit', code: null, reason });
    return true;
  }

  /** Ends every session (the engine closes). */
  closeAll(reason: string): void {
    for (const id of [...this.sessions.keys()]) this.close(id, reason);
  }

  private live(id: string): Session {
    const session = this.sessions.get(id);
    if (!session || session.exit) throw notFound(id);
    return session;
  }

  private running(id: string): Session {
    const session = this.live(id);
    if (!session.process) throw notFound(id);
    return session;
  }

  private output(session: Session, chunk: Buffer, stream: OutputStream): void {
    if (this.sessions.get(session.id) !== session) return;
    if (session.emit) {
      this.send(session, chunk, stream);
      return;
    }
    const room = this.options.maxPendingBytes - session.pendingBytes;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    session.pending.push([kept, stream]);
    session.pendingBytes += kept.length;
  }

  private send(session: Session, chunk: Buffer, stream: OutputStream): void {
    const max = this.options.maxEventBytes;
    for (let at = 0; at < chunk.length; at += max) {
      const data = chunk.subarray(at, at + max).toString('base64');
      session.emit!(stream === 'stderr' ? { type: 'data', data, stream } : { type: 'data', data });
    }
  }

  private exited(session: Session, code: number | null): void {
    if (this.sessions.get(session.id) !== session) return;
    this.clearTimer(session);
    const exit: DbShellEvent = { type: 'exit', code };
    if (session.emit) {
      session.emit(exit);
      this.sessions.delete(session.id);
    } else {
      // Kept for the viewer still to come, until the attach timeout.
      session.exit = exit;
      session.timer = setTimeout(() => this.sessions.delete(session.id), this.options.attachTimeoutMs);
      session.timer.unref?.();
    }
  }

  /** Removes the session, tells its viewer `event` (if any) and hangs its process up. */
  private end(session: Session, event: DbShellEvent | null): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.clearTimer(session);
    if (event && session.emit) session.emit(event);
    session.emit = null;
    void session.process?.hangUp().catch(() => undefined);
  }

  private clearTimer(session: Session): void {
    if (session.timer) clearTimeout(session.timer);
    session.timer = null;
  }
}
