import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/deployment';
import type { CommandContext } from '../command';
import { appsCommands } from './apps';

const logsCommand = appsCommands.find((c) => c.words.join(' ') === 'apps logs')!;

const line = (seq: number): LogLine => ({
  time: `2026-11-22T10:00:${String(seq).padStart(2, '0')}.000Z`,
  type: 'build',
  component: 'web',
  line: `step ${seq}`,
  seq,
});

describe('slipway apps logs --follow', () => {
  it('prints each line once when lines arrive live while the file is read', async () => {
    let onBatch: ((lines: LogLine[]) => void) | undefined;
    let stopped = false;
    let interrupt!: () => void;
    const out: string[] = [];
    const ctx = {
      client: {
        apps: {
          followLogs: async (_params: unknown, listener: (lines: LogLine[]) => void) => {
            onBatch = listener;
            return () => {
              stopped = true;
            };
          },
          readLogs: async () => {
            // Line 3 is streamed while the file is read; line 4 is written in time to be read too.
            onBatch!([line(3)]);
            return [line(1), line(2), line(3), line(4)];
          },
        },
      },
      io: { out: (text: string) => out.push(text), err: () => undefined },
      output: 'json',
      args: { app: 'shop' },
      flags: { type: 'build', follow: true },
      interrupted: new Promise<void>((resolve) => (interrupt = resolve)),
    } as unknown as CommandContext;

    const running = logsCommand.run(ctx);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The engine sends lines a little after writing them: the next batch repeats line 4 of the file.
    onBatch!([line(4), line(5)]);
    interrupt();
    expect(await running).toBe(0);
    expect(out.map((text) => (JSON.parse(text) as LogLine).seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stopped).toBe(true);
  });
});
