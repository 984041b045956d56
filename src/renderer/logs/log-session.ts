import type { LogLine, LogType } from '../../shared/deployment';
import type { Unsubscribe } from '../../shared/rpc/transport';
import type { AppsClient } from '../client';
import { describeError } from '../lib/errors';
import { joinBacklog, lastSeq, LiveCursor } from '../../shared/logs/merge-lines';

export interface LogSource {
  app: string;
  type: LogType;
  component?: string;
  /** Build and deploy: the deployment whose file is read; run: whose containers (default: the live one). */
  deployment?: string;
}

export type LogParams = { app: string; type: LogType; component?: string; deployment?: string };

/**
 * Follows a log live. `dropped` counts lines the stream skipped before these
 * (a bounded follow keeps only what a view can show); 0 otherwise.
 */
export type FollowLogs = (
  params: LogParams,
  keep: number,
  onLines: (lines: LogLine[], dropped: number) => void,
) => Promise<Unsubscribe>;

/** The plain contract stream: every line, never dropped. */
export function contractFollow(client: AppsClient): FollowLogs {
  return (params, _keep, onLines) => client.apps.followLogs(params, (lines) => onLines(lines, 0));
}

export type LogSessionState =
  { state: 'loading' } | { state: 'following' } | { state: 'loaded' } | { state: 'failed'; message: string };

export interface LogSessionOptions {
  client: AppsClient;
  followLogs: FollowLogs;
  source: LogSource;
  /** Follow new lines live after the ones written so far. */
  follow: boolean;
  /** Lines read from the file at most (the rest scroll out of the terminal anyway). */
  backlog: number;
  /** New lines; `dropped` lines came before them that are not shown. */
  onLines(lines: LogLine[], dropped: number): void;
  onState(state: LogSessionState): void;
}

/**
 * One view of one log: the lines written so far (the last `backlog` of them),
 * then, when following, every new line as it comes. The live stream is opened
 * first so no line falls between the two; lines that arrive while the file is
 * read wait (bounded) and are joined without repeats: by their numbers
 * (LogLine.seq) where the log has them, else by their overlap (shared/logs/merge-lines.ts).
 */
export function openLogSession(options: LogSessionOptions): () => void {
  const { client, source, backlog } = options;
  let disposed = false;
  let unsubscribe: Unsubscribe | undefined;
  /** Live lines heard before the backlog arrived: batches, bounded to `backlog` lines. */
  let waiting: LogLine[][] | null = [];
  let waitingCount = 0;
  /** Live lines let go before the backlog arrived, by the stream or by the bound on `waiting`. */
  let letGo = 0;
  /**
   * The highest number (LogLine.seq) the lines let go can have: numbers only
   * grow along a stream, so the latest bound is the bound of them all. Null
   * while none was let go; undefined when it is not known.
   */
  let letGoUpTo: number | undefined | null = null;
  /** Lines the stream let go after the last line heard: how high their numbers go is not known yet. */
  let unplaced = 0;
  /** Once joined, takes from the live batches the lines the file read did not hold. */
  let cursor = new LiveCursor(undefined);

  const params: LogParams = {
    app: source.app,
    type: source.type,
    ...(source.component ? { component: source.component } : {}),
    ...(source.deployment ? { deployment: source.deployment } : {}),
  };

  const letGoOf = (count: number, upTo: number | undefined) => {
    letGo += count;
    letGoUpTo = letGoUpTo === null || letGoUpTo !== undefined ? upTo : undefined;
  };
  /** The highest number in a batch, when every line has one. */
  const numberedUpTo = (lines: readonly LogLine[]) =>
    lines.every((l) => l.seq !== undefined) ? lines.at(-1)!.seq : undefined;

  const onBatch = (lines: LogLine[], dropped: number) => {
    if (disposed) return;
    if (waiting) {
      unplaced += dropped;
      if (lines.length === 0) return;
      // What the stream let go came just before these lines: numbered below the first of them.
      const firstSeq = lines[0]!.seq;
      if (unplaced > 0) letGoOf(unplaced, firstSeq === undefined ? undefined : firstSeq - 1);
      unplaced = 0;
      waiting.push(lines);
      waitingCount += lines.length;
      while (waitingCount - waiting[0]!.length >= backlog) {
        const first = waiting.shift()!;
        waitingCount -= first.length;
        letGoOf(first.length, numberedUpTo(first));
      }
      return;
    }
    const fresh = cursor.take(lines);
    if (fresh.length > 0 || dropped > 0) options.onLines(fresh, dropped);
  };

  void (async () => {
    options.onState({ state: 'loading' });
    try {
      if (options.follow) {
        const stop = await options.followLogs(params, backlog, onBatch);
        if (disposed) {
          stop();
          return;
        }
        unsubscribe = stop;
      }
      const read = await client.apps.readLogs({ ...params, tail: backlog });
      if (disposed) return;
      const live = (waiting ?? []).flat();
      waiting = null;
      // Lines let go that the file read holds are no loss; any other is a gap between the file's lines and the live ones.
      const readUpTo = lastSeq(read);
      const covered =
        letGoUpTo === null || (readUpTo !== undefined && letGoUpTo !== undefined && letGoUpTo <= readUpTo);
      // Across a gap the file's lines are all older than what is kept: the gap is announced instead.
      if (unplaced > 0 || !covered) options.onLines(live, letGo + unplaced);
      else {
        const joined = joinBacklog(read, live);
        cursor = joined.cursor;
        if (joined.lines.length > 0) options.onLines(joined.lines, 0);
      }
      options.onState({ state: options.follow ? 'following' : 'loaded' });
    } catch (err) {
      if (!disposed) options.onState({ state: 'failed', message: describeError(err).message });
    }
  })();

  return () => {
    disposed = true;
    waiting = null;
    unsubscribe?.();
    unsubscribe = undefined;
  };
}
