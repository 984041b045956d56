import { describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../shared/deployment';
import type { AppsClient } from '../client';
import { openLogSession, type FollowLogs } from './log-session';

const line = (n: number): LogLine => ({ type: 'build', time: `t${n}`, line: String(n) });

function setup(read: LogLine[]) {
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
    backlog: 5,
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
