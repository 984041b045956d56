/*
 * A command run inside a running container over the exec API, at a terminal (`docker exec -it`: the hijacked
 * connection carries the terminal's raw bytes both ways) or without one (`docker exec -i`, for input from a pipe:
 * output in frames, and the end of input closes the command's standard input). Docker never ends an exec whose client went away, so a
 * process is hung up by a second exec that signals every process carrying its marker in its environment; the marker
 * reaches that exec as an argument, never as part of its shell line.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { execFrameReader } from './exec-frames';

/** The environment variable that marks a terminal's processes, so they can be found to hang up. */
export const TTY_MARKER_ENV = 'SLIPWAY_TTY_SESSION';

/** Signals every process of the container whose environment holds `$2` as the marker, with signal `$1`. */
const SIGNAL_MARKED = [
  'for p in /proc/[0-9]*; do',
  `  if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx "${TTY_MARKER_ENV}=$2"; then kill "-$1" "\${p#/proc/}" 2>/dev/null; fi`,
  'done',
  'true',
].join('\n');

/** How long a hung-up process has to exit before it is killed, and how long a kill is waited for. */
const HANG_UP_GRACE_MS = 3_000;
/** Docker may report an exec running for a moment after its output ended: asked again this often, this many times. */
const EXIT_POLL_MS = 50;
const EXIT_POLLS = 40;

/** The requests of a terminal's exec (or, with `tty` false, a piped one's): pure, so they are tested without Docker. */
export function ttyExecOptions(cmd: readonly string[], marker: string, tty = true): Docker.ExecCreateOptions {
  return {
    Cmd: [...cmd],
    Env: [`${TTY_MARKER_ENV}=${marker}`],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: tty,
  };
}

/** The exec that sends `signal` to the processes carrying `marker`. */
export function signalMarkedOptions(signal: 'HUP' | 'KILL', marker: string): Docker.ExecCreateOptions {
  return {
    Cmd: ['sh', '-c', SIGNAL_MARKED, 'slipway-hang-up', signal, marker],
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  };
}

/** What a process printed: at a terminal everything is `stdout`. */
export type OutputStream = 'stdout' | 'stderr';

/** A process at a terminal (or a pipe's): its output, its input, its size, and how it ends. */
export interface TtyProcess {
  write(data: Buffer): void;
  /** The end of input: a pipe's standard input is closed; at a terminal, Ctrl-D is typed. */
  endInput(): void;
  resize(cols: number, rows: number): Promise<void>;
  onData(listener: (chunk: Buffer, stream: OutputStream) => void): void;
  /** Resolves once the process ended, with its exit code (null when Docker cannot tell). */
  readonly exited: Promise<number | null>;
  /** Ends the process (SIGHUP, then SIGKILL if it lingers) and the connection. */
  hangUp(): Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

async function exitCodeOf(exec: Docker.Exec): Promise<number | null> {
  for (let i = 0; i < EXIT_POLLS; i++) {
    try {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode ?? null;
    } catch {
      return null;
    }
    await wait(EXIT_POLL_MS);
  }
  return null;
}

/** Runs a short exec to its end, its output ignored. */
async function runToEnd(container: Docker.Container, options: Docker.ExecCreateOptions): Promise<void> {
  const exec = await container.exec(options);
  const stream = (await exec.start({ hijack: true, stdin: false, Tty: true })) as Duplex;
  await new Promise<void>((resolve) => {
    stream.on('data', () => undefined);
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

/** Starts `cmd` in a running container, at a terminal of `cols`×`rows` (or, with `tty` false, without one). */
export async function startTtyExec(
  container: Docker.Container,
  cmd: readonly string[],
  size: { cols: number; rows: number; tty?: boolean },
): Promise<TtyProcess> {
  const tty = size.tty ?? true;
  const marker = randomBytes(16).toString('hex');
  const exec = await container.exec(ttyExecOptions(cmd, marker, tty));
  // `Tty` here too: without it Docker frames the output as if there were no terminal.
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: tty })) as Duplex;
  const listeners: Array<(chunk: Buffer, stream: OutputStream) => void> = [];
  let ended = false;
  let inputEnded = false;
  const exited = new Promise<number | null>((resolve) => {
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      ended = true;
      void exitCodeOf(exec).then(resolve);
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
  // Output that comes before anyone listens (the client's banner, while the size is set) is kept for the first.
  let early: Array<[Buffer, OutputStream]> | null = [];
  const deliver = (chunk: Buffer, from: OutputStream) => {
    if (early) early.push([chunk, from]);
    else for (const listener of listeners) listener(chunk, from);
  };
  const frames = tty ? null : execFrameReader();
  stream.on('data', (chunk: Buffer) => {
    if (!frames) deliver(chunk, 'stdout');
    else for (const frame of frames.push(chunk)) deliver(frame.data, frame.stream);
  });
  const resize = async (cols: number, rows: number) => {
    if (ended || !tty) return;
    await exec.resize({ h: rows, w: cols });
  };
  // Docker sizes an exec's terminal only once it runs; a size it refuses leaves the default, not a failure.
  await resize(size.cols, size.rows).catch(() => undefined);

  const signal = (which: 'HUP' | 'KILL') =>
    runToEnd(container, signalMarkedOptions(which, marker)).catch(() => undefined);
  const exitedWithin = (ms: number) => Promise.race([exited.then(() => true), wait(ms).then(() => false)]);
  const writable = () => !ended && !inputEnded && stream.writable;
  return {
    write(data) {
      if (writable()) stream.write(data);
    },
    endInput() {
      if (!writable()) return;
      if (tty) {
        stream.write(Buffer.from('\x04'));
        return;
      }
      inputEnded = true;
      stream.end();
    },
    resize,
    onData(listener) {
      listeners.push(listener);
      const kept = early;
      early = null;
      for (const [chunk, from] of kept ?? []) listener(chunk, from);
    },
    exited,
    async hangUp() {
      if (!ended) {
        await signal('HUP');
        if (!(await exitedWithin(HANG_UP_GRACE_MS))) {
          await signal('KILL');
          await exitedWithin(HANG_UP_GRACE_MS);
        }
      }
      stream.destroy();
    },
  };
}
