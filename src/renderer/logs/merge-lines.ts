import type { LogLine } from '../../shared/deployment';

function same(a: LogLine, b: LogLine): boolean {
  return a.time === b.time && a.line === b.line && a.component === b.component && a.type === b.type;
}

/**
 * Joins the lines read from a log file with the lines that arrived live while
 * it was being read. The engine's stream has no cursor, so the two may
 * overlap: the longest tail of `backlog` that is also a head of `live` is
 * kept once.
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
