import { withoutColours } from '../../../shared/text/without-colours';
import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LogLine, LogType } from '../../../shared/deployment';
import { ensurePrivateDir } from '../store/private-files';
import { createLineBatcher } from './line-batcher';
import { readLastLines } from './read-tail';
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

/**
 * Parses one stored line if it can match: every line is written with `type`
 * first, so lines of another type are passed over without being parsed.
 */
function parseStored(raw: string, filter: LogFilter): LogLine | undefined {
  if (filter.type && raw.startsWith('{"type":"') && !raw.startsWith(`{"type":"${filter.type}",`)) return undefined;
  try {
    const line = JSON.parse(raw) as LogLine;
    return matches(line, filter) ? line : undefined;
  } catch {
    // A line cut short by a crash is skipped, not fatal.
    return undefined;
  }
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

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
    const file = this.fileOf(app, deploymentId);
    const seqOf = (raw: string) => {
      const line = parseStored(raw, {});
      return line ? (line.seq ?? 0) : undefined;
    };
    const [last] = await readLastLines(file, 1, seqOf).catch((err: unknown) => {
      if (isMissing(err)) return [];
      throw err;
    });
    let seq = last ?? 0;
    const stream: WriteStream = createWriteStream(file, { flags: 'a', mode: 0o600 });
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
        // `type` first: readers pass over lines of another type without parsing them (parseStored).
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
          // For an error's last lines, shown as text: a build's colours would show as escape codes there.
          .map((l) => withoutColours(l.line)),
      close: async () => {
        await new Promise<void>((resolve) => stream.end(resolve));
        if (this.writing.get(channel)?.written === written) this.writing.delete(channel);
        for (const waiter of waiters.splice(0)) waiter.resolve();
      },
    };
  }

  /**
   * Reads a deployment's stored lines, optionally filtered and only the last
   * `tail` (read from the end of the file). A line written before the call is
   * in the answer even if it was still on its way to the file.
   */
  async read(app: string, deploymentId: string, filter: LogFilter = {}, tail?: number): Promise<LogLine[]> {
    await this.writing.get(`${app}/${deploymentId}`)?.written();
    const file = this.fileOf(app, deploymentId);
    try {
      if (tail) return await readLastLines(file, tail, (raw) => parseStored(raw, filter));
      const lines: LogLine[] = [];
      for (const raw of (await readFile(file, 'utf8')).split('\n')) {
        const line = raw ? parseStored(raw, filter) : undefined;
        if (line) lines.push(line);
      }
      return lines;
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
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
