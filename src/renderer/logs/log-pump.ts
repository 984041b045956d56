/**
 * Moves log lines into a terminal without ever blocking the page: lines are
 * queued as they arrive and written on an animation frame, at most once per
 * `minIntervalMs` (each write makes the terminal draw again; a flood drawn at
 * 10 frames a second reads as well and leaves the page time for clicks), a
 * bounded number at a time, and only once the terminal has taken the previous
 * write (xterm.js's flow control). The queue is bounded too: when a build
 * prints faster than the screen can show, the oldest queued lines, which would
 * scroll out of the bounded scrollback anyway, are dropped and a note says how
 * many. The full log always stays in the engine's file.
 */

/** What the pump needs of a terminal: xterm.js's `write(data, callback)`. */
export interface TerminalSink {
  write(data: string, done: () => void): void;
}

export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export interface LogPumpOptions {
  /** Lines kept waiting at most; older ones are dropped (the terminal's scrollback is a good value). */
  maxQueued: number;
  /** Lines written at once at most. */
  linesPerWrite: number;
  /** Milliseconds between two writes at least (0: every frame). */
  minIntervalMs?: number;
  scheduler?: FrameScheduler;
  now?: () => number;
  /** How dropped lines are announced in the terminal. */
  droppedNotice?: (count: number) => string;
}

const browserFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export const defaultDroppedNotice = (count: number) =>
  `\x1b[2m… ${count.toLocaleString()} line${count === 1 ? '' : 's'} not shown here: they came faster than the screen shows them. The full log is kept.\x1b[0m`;

export class LogPump {
  /** Batches as they came, oldest first; `offset` lines of the first one are already taken. */
  private readonly chunks: string[][] = [];
  private offset = 0;
  private queuedLines = 0;
  private dropped = 0;
  private frame: number | null = null;
  private writing = false;
  private disposed = false;
  /** Bumped by clear(): a write callback of an older generation must not restart the pump twice. */
  private generation = 0;
  private readonly scheduler: FrameScheduler;
  private readonly now: () => number;
  private lastWrite = -Infinity;
  /** Totals, for tests and the status line. */
  written = 0;
  droppedTotal = 0;

  constructor(
    private readonly sink: TerminalSink,
    private readonly options: LogPumpOptions,
  ) {
    this.scheduler = options.scheduler ?? browserFrames;
    this.now = options.now ?? (() => performance.now());
  }

  get queued(): number {
    return this.queuedLines;
  }

  /** Queues lines (without line endings). Never writes synchronously. */
  push(lines: readonly string[]): void {
    if (this.disposed || lines.length === 0) return;
    this.chunks.push(lines as string[]);
    this.queuedLines += lines.length;
    this.trim();
    this.schedule();
  }

  /**
   * Counts lines that came but are not worth formatting: when a batch holds
   * more lines than the queue keeps, only its tail is pushed and the rest is
   * announced as dropped, like lines trimmed from the queue.
   */
  skip(count: number): void {
    if (this.disposed || count <= 0) return;
    this.dropped += count;
    this.schedule();
  }

  /** Forgets everything queued (the terminal is cleared by its owner). */
  clear(): void {
    this.chunks.length = 0;
    this.offset = 0;
    this.queuedLines = 0;
    this.dropped = 0;
    this.generation += 1;
    this.writing = false;
    if (this.frame !== null) this.scheduler.cancel(this.frame);
    this.frame = null;
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  private trim(): void {
    const max = this.options.maxQueued;
    while (this.queuedLines > max) {
      const first = this.chunks[0]!;
      const left = first.length - this.offset;
      const excess = this.queuedLines - max;
      if (excess >= left) {
        this.chunks.shift();
        this.offset = 0;
        this.queuedLines -= left;
        this.dropped += left;
      } else {
        this.offset += excess;
        this.queuedLines -= excess;
        this.dropped += excess;
      }
    }
  }

  private schedule(): void {
    if (this.frame !== null || this.writing || this.disposed) return;
    this.frame = this.scheduler.request(() => {
      this.frame = null;
      this.flush();
    });
  }

  private take(count: number): string[] {
    const out: string[] = [];
    while (out.length < count && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const end = Math.min(first.length, this.offset + (count - out.length));
      for (let i = this.offset; i < end; i++) out.push(first[i]!);
      if (end >= first.length) {
        this.chunks.shift();
        this.offset = 0;
      } else {
        this.offset = end;
      }
    }
    this.queuedLines -= out.length;
    return out;
  }

  private flush(): void {
    if (this.disposed || this.writing || (this.queuedLines === 0 && this.dropped === 0)) return;
    if (this.now() - this.lastWrite < (this.options.minIntervalMs ?? 0)) {
      this.schedule();
      return;
    }
    this.lastWrite = this.now();
    const lines = this.take(this.options.linesPerWrite);
    if (this.dropped > 0) {
      lines.unshift((this.options.droppedNotice ?? defaultDroppedNotice)(this.dropped));
      this.droppedTotal += this.dropped;
      this.dropped = 0;
    }
    this.written += lines.length;
    this.writing = true;
    const generation = this.generation;
    this.sink.write(`${lines.join('\r\n')}\r\n`, () => {
      if (generation !== this.generation) return;
      this.writing = false;
      if (this.queuedLines > 0) this.schedule();
    });
  }
}
