import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LogLine, LogType } from '../../../shared/deployment';
import { ensurePrivateDir } from '../store/private-files';
import { createLineBatcher } from './line-batcher';
import type { Redactor } from './redactor';

export interface LogFilter {
  type?: LogType;
  component?: string;
}

/** Writes one deployment's build and deploy output to its file and to live followers. */
export interface DeploymentLogWriter {
  write(type: LogType, line: string, component?: string): void;
  /** The last lines written for a component (or all), for error reports. */
  lastLines(count: number, filter?: LogFilter): string[];
  close(): Promise<void>;
}

const matches = (line: LogLine, filter: LogFilter) =>
  (!filter.type || line.type === filter.type) && (!filter.component || line.component === filter.component);

/** Follows the lines written to a log file: how a reader waits for the ones written before it asked. */
interface OpenLog {
  /** Resolves once every line written so far is in the file. */
  written(): Promise<void>;
}

/**
 * Deployment logs: one JSON-lines file per deployment under `<data>/logs/<app>/`,
 * never inside the state file. Every line is redacted before it is stored or sent.
 */
export class DeploymentLogs {
  private readonly live = new EventEmitter();
  /** The logs being written, by `app/deployment`. */
  private readonly writing = new Map<string, OpenLog>();

  constructor(private readonly logDir: string) {
    this.live.setMaxListeners(0);
  }

  private fileOf(app: string, deploymentId: string): string {
    return path.join(this.logDir, app, `${deploymentId}.jsonl`);
  }

  /** Opens the log of a deployment for writing; lines are numbered on from the last one already in the file. */
  async open(app: string, deploymentId: string, redact: Redactor): Promise<DeploymentLogWriter> {
    await ensurePrivateDir(path.join(this.logDir, app));
    let seq = (await this.read(app, deploymentId)).at(-1)?.seq ?? 0;
    const stream: WriteStream = createWriteStream(this.fileOf(app, deploymentId), { flags: 'a', mode: 0o600 });
    const recent: LogLine[] = [];
    const channel = `${app}/${deploymentId}`;
    // Lines sit in the stream's buffer before they reach the file: a reader waits for those written before it asked.
    let sent = 0;
    let done = 0;
    const waiters: Array<{ until: number; resolve: () => void }> = [];
    const onWritten = () => {
      done += 1;
      while (waiters.length > 0 && waiters[0]!.until <= done) waiters.shift()!.resolve();
    };
    const written = () =>
      done >= sent ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ until: sent, resolve }));
    this.writing.set(channel, { written });
    return {
      write: (type, text, component) => {
        seq += 1;
        const entry: LogLine = { type, seq, time: new Date().toISOString(), line: redact(text) };
        if (component) entry.component = component;
        sent += 1;
        stream.write(`${JSON.stringify(entry)}\n`, onWritten);
        recent.push(entry);
        if (recent.length > 500) recent.splice(0, recent.length - 500);
        this.live.emit(channel, entry);
        this.live.emit(app, entry, deploymentId);
      },
      lastLines: (count, filter = {}) =>
        recent
          .filter((l) => matches(l, filter))
          .slice(-count)
          .map((l) => l.line),
      close: async () => {
        await new Promise<void>((resolve) => stream.end(resolve));
        if (this.writing.get(channel)?.written === written) this.writing.delete(channel);
        for (const waiter of waiters.splice(0)) waiter.resolve();
      },
    };
  }

  /**
   * Reads a deployment's stored lines, optionally filtered and only the last
   * `tail`. A line written before the call is in the answer even if it was
   * still on its way to the file.
   */
  async read(app: string, deploymentId: string, filter: LogFilter = {}, tail?: number): Promise<LogLine[]> {
    await this.writing.get(`${app}/${deploymentId}`)?.written();
    let text: string;
    try {
      text = await readFile(this.fileOf(app, deploymentId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const lines: LogLine[] = [];
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      try {
        const line = JSON.parse(raw) as LogLine;
        if (matches(line, filter)) lines.push(line);
      } catch {
        // A line cut short by a crash is skipped, not fatal.
      }
    }
    return tail ? lines.slice(-tail) : lines;
  }

  /**
   * Follows new lines of one deployment (or of every deployment of an app when
   * no id is given), in batches (line-batcher.ts): 50 ms after a batch's first
   * line, or at once at 2,000 lines, so a chatty build neither floods the
   * transport with events nor sends one huge event.
   */
  follow(app: string, deploymentId: string | undefined, filter: LogFilter, onBatch: (lines: LogLine[]) => void) {
    const batcher = createLineBatcher(onBatch);
    const listener = (line: LogLine) => {
      if (matches(line, filter)) batcher.push(line);
    };
    const channel = deploymentId ? `${app}/${deploymentId}` : app;
    this.live.on(channel, listener);
    return () => {
      this.live.off(channel, listener);
      batcher.flush();
    };
  }

  /** Removes one deployment's log file. */
  async remove(app: string, deploymentId: string): Promise<void> {
    await rm(this.fileOf(app, deploymentId), { force: true });
  }

  /** Removes an app's log files. */
  async removeApp(app: string): Promise<void> {
    await rm(path.join(this.logDir, app), { recursive: true, force: true });
  }
}
