import type { LogLine, LogType } from '../../shared/deployment';
import type { Unsubscribe } from '../../shared/rpc/transport';
import type { AppsClient } from '../client';
import { describeError } from '../lib/errors';
import { mergeBacklog } from './merge-lines';

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
 * read wait (bounded) and are joined without repeats.
 */
export function openLogSession(options: LogSessionOptions): () => void {
  const { client, source, backlog } = options;
  let disposed = false;
  let unsubscribe: Unsubscribe | undefined;
  /** Live lines heard before the backlog arrived: batches, bounded to `backlog` lines. */
  let waiting: LogLine[][] | null = [];
  let waitingCount = 0;
  /** Lines the waiting buffer (or the stream) let go: the backlog is then older than what is kept. */
  let skipped = 0;

  const params: LogParams = {
    app: source.app,
    type: source.type,
    ...(source.component ? { component: source.component } : {}),
    ...(source.deployment ? { deployment: source.deployment } : {}),
  };

  const onBatch = (lines: LogLine[], dropped: number) => {
    if (disposed) return;
    if (waiting) {
      skipped += dropped;
      if (lines.length === 0) return;
      waiting.push(lines);
      waitingCount += lines.length;
      while (waitingCount - waiting[0]!.length >= backlog) {
        const first = waiting.shift()!;
        waitingCount -= first.length;
        skipped += first.length;
      }
      return;
    }
    if (lines.length > 0 || dropped > 0) options.onLines(lines, dropped);
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
      // When live lines were let go, the file's lines are all older than what is kept: the gap is announced instead.
      if (skipped > 0) options.onLines(live, skipped);
      else {
        const lines = mergeBacklog(read, live);
        if (lines.length > 0) options.onLines(lines, 0);
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
