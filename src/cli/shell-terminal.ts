/*
 * The terminal an interactive command (`slipway apps db shell`) runs at: this process's standard streams, in raw
 * mode when standard input is a terminal, so every key reaches the remote client as it is typed.
 */

export interface ShellTerminal {
  /** True when standard input is a terminal: raw mode, and its size follows the window. */
  readonly interactive: boolean;
  size(): { cols: number; rows: number };
  /** Raw mode on or off (interactive only). */
  setRaw(raw: boolean): void;
  /** Bytes as they are typed or piped in; `end` once a pipe is exhausted. */
  onInput(data: (chunk: Buffer) => void, end: () => void): void;
  pauseInput(): void;
  resumeInput(): void;
  /** Called with the new size when the window is resized; returns how to stop listening. */
  onResize(listener: (size: { cols: number; rows: number }) => void): () => void;
  write(chunk: Buffer): void;
  /** What the remote client wrote to its standard error (only without a terminal: at one, all is output). */
  writeError(chunk: Buffer): void;
  /** Says something of the command's own (not the remote client's) on standard error. */
  note(text: string): void;
  /** Stops reading and lets the process exit. */
  release(): void;
}

const DEFAULT_SIZE = { cols: 80, rows: 24 };

/** This process's standard streams. */
export function processTerminal(): ShellTerminal {
  const { stdin, stdout, stderr } = process;
  const interactive = stdin.isTTY === true;
  const size = () =>
    stdout.isTTY && stdout.columns > 0 && stdout.rows > 0 ? { cols: stdout.columns, rows: stdout.rows } : DEFAULT_SIZE;
  const listeners: Array<() => void> = [];
  return {
    interactive,
    size,
    setRaw(raw) {
      if (interactive) stdin.setRawMode(raw);
    },
    onInput(data, end) {
      const onData = (chunk: Buffer | string) => data(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      stdin.on('data', onData);
      stdin.once('end', end);
      listeners.push(() => {
        stdin.off('data', onData);
        stdin.off('end', end);
      });
      stdin.resume();
    },
    pauseInput: () => void stdin.pause(),
    resumeInput: () => void stdin.resume(),
    onResize(listener) {
      const onWinch = () => listener(size());
      process.on('SIGWINCH', onWinch);
      return () => void process.off('SIGWINCH', onWinch);
    },
    write: (chunk) => void stdout.write(chunk),
    writeError: (chunk) => void stderr.write(chunk),
    note: (text) => void stderr.write(`${text}\n`),
    release() {
      for (const off of listeners.splice(0)) off();
      stdin.pause();
    },
  };
}
