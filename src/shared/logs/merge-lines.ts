import type { LogLine } from '../deployment';

function same(a: LogLine, b: LogLine): boolean {
  return a.time === b.time && a.line === b.line && a.component === b.component && a.type === b.type;
}

/** The `seq` of the last numbered line (LogLine.seq), or undefined when none is numbered. */
export function lastSeq(lines: readonly LogLine[]): number | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const seq = lines[i]!.seq;
    if (seq !== undefined) return seq;
  }
  return undefined;
}

/**
 * Takes from a live stream the lines a file read did not hold. The stream was
 * opened before the file was read, and the engine sends lines in batches a
 * little after writing them, so the stream goes on with lines the file read
 * already held, in the live lines heard meanwhile and in the first batches
 * after: numbered lines (LogLine.seq) up to the last one read are dropped until
 * the stream passes it. Lines without a number (a notice about the stream) are
 * always kept.
 */
export class LiveCursor {
  /** Undefined once the stream has passed the file read, or when nothing read was numbered. */
  private after: number | undefined;

  constructor(after: number | undefined) {
    this.after = after;
  }

  /** The lines of a live batch that are new, in order: the batch itself once the stream has passed the file read. */
  take(lines: LogLine[]): LogLine[];
  take(lines: readonly LogLine[]): readonly LogLine[];
  take(lines: readonly LogLine[]): readonly LogLine[] {
    const after = this.after;
    if (after === undefined) return lines;
    const kept: LogLine[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.seq === undefined) kept.push(line);
      else if (line.seq > after) {
        this.after = undefined;
        return kept.length === 0 ? lines.slice(i) : kept.concat(lines.slice(i));
      }
    }
    return kept;
  }
}

/**
 * Joins the lines read from a log file with the lines that arrived live while
 * it was being read (the stream was opened first, so the two overlap).
 * Numbered lines join exactly: the file's lines, then the live lines numbered
 * above the last one read. Without numbers (the `run` log, files from before
 * lines were numbered) the overlap is guessed instead (mergeBacklog). The
 * cursor takes the later live batches: the first of them may still hold lines
 * the file read held.
 */
export function joinBacklog(
  backlog: readonly LogLine[],
  live: readonly LogLine[],
): { lines: LogLine[]; cursor: LiveCursor } {
  const after = lastSeq(backlog);
  const cursor = new LiveCursor(after);
  if (after === undefined) return { lines: mergeBacklog(backlog, live), cursor };
  return { lines: [...backlog, ...cursor.take(live)], cursor };
}

/**
 * Joins lines without numbers (see joinBacklog): the longest tail of
 * `backlog` that is also a head of `live` is kept once.
 */
export function mergeBacklog(backlog: readonly LogLine[], live: readonly LogLine[]): LogLine[] {
  if (live.length === 0) return [...backlog];
  if (backlog.length === 0) return [...live];
  const first = live[0]!;
  for (let start = Math.max(0, backlog.length - live.length); start < backlog.length; start++) {
    if (!same(backlog[start]!, first)) continue;
    let overlap = true;
    for (let i = start + 1, j = 1; i < backlog.length; i++, j++) {
      if (!same(backlog[i]!, live[j]!)) {
        overlap = false;
        break;
      }
    }
    if (overlap) return [...backlog, ...live.slice(backlog.length - start)];
  }
  return [...backlog, ...live];
}
