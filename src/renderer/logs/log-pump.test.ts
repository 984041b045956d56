import { describe, expect, it } from 'vitest';
import { LogPump, type FrameScheduler } from './log-pump';

/** Frames and a terminal the test drives by hand. */
function harness(options: { maxQueued?: number; linesPerWrite?: number; minIntervalMs?: number } = {}) {
  const frames: Array<() => void> = [];
  const scheduler: FrameScheduler = {
    request: (callback) => frames.push(callback),
    cancel: (handle) => {
      frames[handle - 1] = () => undefined;
    },
  };
  const writes: string[] = [];
  let done: (() => void) | null = null;
  let clock = 0;
  const pump = new LogPump(
    {
      write(data, callback) {
        writes.push(data);
        done = callback;
      },
    },
    {
      maxQueued: options.maxQueued ?? 100,
      linesPerWrite: options.linesPerWrite ?? 10,
      minIntervalMs: options.minIntervalMs ?? 0,
      scheduler,
      now: () => clock,
      droppedNotice: (count) => `[${count} dropped]`,
    },
  );
  const runFrames = () => {
    const pending = frames.splice(0);
    for (const frame of pending) frame();
  };
  const finishWrite = () => {
    const callback = done;
    done = null;
    callback?.();
  };
  return { pump, writes, frames, runFrames, finishWrite, tick: (ms: number) => (clock += ms) };
}

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('LogPump', () => {
  it('never writes synchronously, and writes on the next frame', () => {
    const h = harness();
    h.pump.push(['a', 'b']);
    expect(h.writes).toEqual([]);
    h.runFrames();
    expect(h.writes).toEqual(['a\r\nb\r\n']);
  });

  it('writes a bounded number of lines at a time, the next only once the terminal took the last', () => {
    const h = harness({ linesPerWrite: 3 });
    h.pump.push(lines(1, 7));
    h.runFrames();
    expect(h.writes).toEqual(['1\r\n2\r\n3\r\n']);
    h.runFrames();
    expect(h.writes).toHaveLength(1);
    h.finishWrite();
    h.runFrames();
    h.finishWrite();
    h.runFrames();
    expect(h.writes.join('')).toBe(`${lines(1, 7).join('\r\n')}\r\n`);
    expect(h.pump.queued).toBe(0);
  });

  it('keeps at most maxQueued lines waiting and says how many it dropped', () => {
    const h = harness({ maxQueued: 5, linesPerWrite: 100 });
    h.pump.push(lines(1, 4));
    h.pump.push(lines(5, 9));
    h.pump.push(lines(10, 12));
    expect(h.pump.queued).toBe(5);
    h.runFrames();
    expect(h.writes).toEqual(['[7 dropped]\r\n8\r\n9\r\n10\r\n11\r\n12\r\n']);
    expect(h.pump.droppedTotal).toBe(7);
  });

  it('counts skipped lines like dropped ones', () => {
    const h = harness();
    h.pump.skip(1000);
    h.pump.push(['last']);
    h.runFrames();
    expect(h.writes).toEqual(['[1000 dropped]\r\nlast\r\n']);
  });

  it('waits at least minIntervalMs between writes', () => {
    const h = harness({ minIntervalMs: 100, linesPerWrite: 1 });
    h.pump.push(['a', 'b']);
    h.runFrames();
    h.finishWrite();
    h.tick(50);
    h.runFrames();
    expect(h.writes).toEqual(['a\r\n']);
    h.tick(60);
    h.runFrames();
    expect(h.writes).toEqual(['a\r\n', 'b\r\n']);
  });

  it('forgets what is queued on clear, and ignores a write callback from before', () => {
    const h = harness({ linesPerWrite: 1 });
    h.pump.push(['old-1', 'old-2']);
    h.runFrames();
    h.pump.clear();
    h.finishWrite();
    h.runFrames();
    expect(h.writes).toEqual(['old-1\r\n']);
    h.pump.push(['new']);
    h.runFrames();
    expect(h.writes).toEqual(['old-1\r\n', 'new\r\n']);
  });

  it('stays bounded through a million lines', () => {
    const h = harness({ maxQueued: 10_000, linesPerWrite: 2_000 });
    for (let start = 1; start <= 1_000_000; start += 50_000) h.pump.push(lines(start, start + 49_999));
    expect(h.pump.queued).toBe(10_000);
    for (let i = 0; i < 10; i++) {
      h.runFrames();
      h.finishWrite();
    }
    const written = h.writes.join('').split('\r\n').filter(Boolean);
    expect(written[0]).toBe('[990000 dropped]');
    expect(written.at(-1)).toBe('1000000');
    expect(written).toHaveLength(10_001);
  });
});
