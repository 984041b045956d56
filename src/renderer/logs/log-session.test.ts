import { describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../shared/deployment';
import type { AppsClient } from '../client';
import { openLogSession, type FollowLogs } from './log-session';

const line = (n: number): LogLine => ({ type: 'build', time: `t${n}`, line: String(n) });

function setup(read: LogLine[], backlog = 5) {
  let push: (lines: LogLine[], dropped: number) => void = () => undefined;
  let answerRead: () => void = () => undefined;
  const unsubscribe = vi.fn();
  const followLogs: FollowLogs = async (_params, _keep, onLines) => {
    push = onLines;
    return unsubscribe;
  };
  const client = {
    apps: { readLogs: vi.fn(() => new Promise<LogLine[]>((resolve) => (answerRead = () => resolve(read)))) },
  } as unknown as AppsClient;
  const shown: Array<{ lines: string[]; dropped: number }> = [];
  const states: string[] = [];
  const stop = openLogSession({
    client,
    followLogs,
    source: { app: 'shop', type: 'build', deployment: 'abcdef1' },
    follow: true,
    backlog,
    onLines: (lines, dropped) => shown.push({ lines: lines.map((l) => l.line), dropped }),
    onState: (s) => states.push(s.state),
  });
  return {
    push: (l: LogLine[], d = 0) => push(l, d),
    answerRead: () => answerRead(),
    shown,
    states,
    stop,
    unsubscribe,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('log session', () => {
  it('follows first, reads the file, and joins the two without repeats', async () => {
    const s = setup([line(1), line(2), line(3)]);
    await settle();
    s.push([line(3), line(4)]);
    s.answerRead();
    await settle();
    expect(s.shown).toEqual([{ lines: ['1', '2', '3', '4'], dropped: 0 }]);
    s.push([line(5)]);
    expect(s.shown.at(-1)).toEqual({ lines: ['5'], dropped: 0 });
    expect(s.states).toEqual(['loading', 'following']);
  });

  it('when more came live than it keeps, shows the live tail and says what it skipped', async () => {
    const s = setup([line(1)]);
    await settle();
    s.push([line(2), line(3), line(4)]);
    s.push([line(5), line(6), line(7)], 10);
    s.push([line(8), line(9)]);
    s.answerRead();
    await settle();
    expect(s.shown).toEqual([{ lines: ['5', '6', '7', '8', '9'], dropped: 13 }]);
  });

  it('stops following when closed, and shows nothing after', async () => {
    const s = setup([]);
    await settle();
    s.stop();
    s.answerRead();
    s.push([line(1)]);
    await settle();
    expect(s.unsubscribe).toHaveBeenCalledOnce();
    expect(s.shown).toEqual([]);
  });
});

/** A numbered line (LogLine.seq), as the engine writes build and deploy logs. */
const numbered = (seq: number): LogLine => ({ type: 'build', seq, time: 't', line: String(seq) });
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const shownSeqs = (shown: Array<{ lines: string[] }>) => shown.flatMap((s) => s.lines.map(Number));

describe('log session, numbered lines', () => {
  it('joins a file read that ends in the middle of a live batch without repeating or losing a line', async () => {
    // Lines 1-4 were written before the view opened; the read sees 1-9; batches of the stream cut across line 9.
    const s = setup(range(1, 9).map(numbered), 100);
    await settle();
    s.push([numbered(5), numbered(6)]);
    s.push([numbered(7), numbered(8), numbered(9), numbered(10)]);
    s.answerRead();
    await settle();
    // The engine sends lines a little after writing them: a batch after the answer still holds lines it read.
    s.push([numbered(11), numbered(12)]);
    expect(shownSeqs(s.shown)).toEqual(range(1, 12));
    expect(s.shown.every((b) => b.dropped === 0)).toBe(true);
  });

  it('drops from the batches after the read the lines it held', async () => {
    const s = setup(range(1, 9).map(numbered), 100);
    await settle();
    s.push([numbered(5)]);
    s.answerRead();
    await settle();
    s.push([numbered(6), numbered(7), numbered(8), numbered(9), numbered(10)]);
    s.push([numbered(11)]);
    expect(s.shown).toEqual([
      { lines: range(1, 9).map(String), dropped: 0 },
      { lines: ['10'], dropped: 0 },
      { lines: ['11'], dropped: 0 },
    ]);
  });

  it('says nothing of lines let go while the file was read when the read holds them', async () => {
    // Keeps 5: the stream let line 7 go and the wait let [5, 6] go, all of them in the read (5-9).
    const s = setup(range(5, 9).map(numbered), 5);
    await settle();
    s.push([numbered(5), numbered(6)]);
    s.push([numbered(8), numbered(9)], 1);
    s.push([numbered(10), numbered(11), numbered(12)]);
    s.answerRead();
    await settle();
    expect(s.shown).toEqual([{ lines: range(5, 12).map(String), dropped: 0 }]);
  });

  it('announces lines let go after the last line read, and shows the live lines only', async () => {
    const s = setup(range(1, 4).map(numbered), 5);
    await settle();
    s.push([numbered(9), numbered(10)], 4);
    s.answerRead();
    await settle();
    expect(s.shown).toEqual([{ lines: ['9', '10'], dropped: 4 }]);
  });

  it('joins exactly wherever the read and the batches fall', async () => {
    const N = 10;
    // Microtasks only: the fakes answer at once, and thousands of cases must stay quick.
    const drain = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    for (const backlog of [4, 100])
      for (let followedAt = 0; followedAt <= N; followedAt++)
        for (let readUpTo = followedAt; readUpTo <= N; readUpTo++)
          for (const size of [1, 2, 3]) {
            const batches: LogLine[][] = [];
            for (let from = followedAt + 1; from <= N; from += size)
              batches.push(range(from, Math.min(N, from + size - 1)).map(numbered));
            for (let before = 0; before <= batches.length; before++) {
              const s = setup(range(Math.max(1, readUpTo - backlog + 1), readUpTo).map(numbered), backlog);
              await drain();
              for (const batch of batches.slice(0, before)) s.push(batch);
              s.answerRead();
              await drain();
              for (const batch of batches.slice(before)) s.push(batch);
              const seen = shownSeqs(s.shown);
              const dropped = s.shown.reduce((sum, b) => sum + b.dropped, 0);
              const at = `backlog ${backlog}, followed after ${followedAt}, read up to ${readUpTo}, batches of ${size}, ${before} before the read`;
              // Every line once, in order, up to the last one.
              if (N > 0) expect(seen, at).toEqual(range(seen[0] ?? N + 1, N));
              // Nothing missing between the file's lines and the live ones unless it is announced.
              if (dropped === 0) expect(seen[0], at).toBe(Math.max(1, readUpTo - backlog + 1));
              else expect(seen[0]! - 1, at).toBeGreaterThan(readUpTo);
            }
          }
  });
});
