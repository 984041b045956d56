import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../../shared/deployment';
import { DeploymentLogs } from './deployment-logs';
import { MAX_BATCH_LINES } from './line-batcher';

const plain = (text: string) => text;
let dir: string;
let logs: DeploymentLogs;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'slipway-logs-'));
  logs = new DeploymentLogs(dir);
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

describe('DeploymentLogs', () => {
  it('numbers every line of a deployment from 1, in the file and on the live stream alike', async () => {
    const batches: LogLine[][] = [];
    const stop = logs.follow('shop', 'abcdef1', {}, (lines) => batches.push(lines));
    const writer = await logs.open('shop', 'abcdef1', plain);
    writer.write('build', 'one', 'web');
    writer.write('deploy', 'two');
    writer.write('build', 'three', 'api');
    await writer.close();
    stop();
    const stored = await logs.read('shop', 'abcdef1');
    expect(stored.map((l) => [l.seq, l.type, l.line])).toEqual([
      [1, 'build', 'one'],
      [2, 'deploy', 'two'],
      [3, 'build', 'three'],
    ]);
    expect(batches.flat()).toEqual(stored);
    // A filtered view sees the numbers of its own lines: gaps, never a step back.
    expect((await logs.read('shop', 'abcdef1', { type: 'build' })).map((l) => l.seq)).toEqual([1, 3]);
    expect((await logs.read('shop', 'abcdef1', { type: 'build', component: 'api' })).map((l) => l.seq)).toEqual([3]);
  });

  it('numbers on from the last line when a log is opened again', async () => {
    const first = await logs.open('shop', 'abcdef1', plain);
    first.write('build', 'a');
    first.write('build', 'b');
    await first.close();
    const again = await logs.open('shop', 'abcdef1', plain);
    again.write('deploy', 'c');
    await again.close();
    expect((await logs.read('shop', 'abcdef1')).map((l) => l.seq)).toEqual([1, 2, 3]);
  });

  it('sends a flood written in one go in batches of at most 2,000 lines, none lost or repeated', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const batches: LogLine[][] = [];
    const stop = logs.follow('shop', 'abcdef1', { type: 'build' }, (lines) => batches.push(lines));
    const writer = await logs.open('shop', 'abcdef1', plain);
    const total = 2 * MAX_BATCH_LINES + 321;
    for (let i = 1; i <= total; i++) writer.write('build', String(i));
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH_LINES, MAX_BATCH_LINES]);
    vi.advanceTimersByTime(50);
    expect(batches.map((b) => b.length)).toEqual([MAX_BATCH_LINES, MAX_BATCH_LINES, 321]);
    expect(batches.flat().map((l) => l.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    stop();
    await writer.close();
  });

  it('reads the tail from the end of the file: the same lines as the whole file read', async () => {
    const writer = await logs.open('shop', 'abcdef1', plain);
    for (let i = 1; i <= 3000; i++)
      writer.write(i % 3 === 0 ? 'deploy' : 'build', `line ${i} ✓`, i % 2 ? 'web' : 'api');
    await writer.close();
    const all = await logs.read('shop', 'abcdef1');
    expect(await logs.read('shop', 'abcdef1', {}, 10)).toEqual(all.slice(-10));
    const deploy = all.filter((l) => l.type === 'deploy');
    expect(await logs.read('shop', 'abcdef1', { type: 'deploy' }, 7)).toEqual(deploy.slice(-7));
    const webBuild = all.filter((l) => l.type === 'build' && l.component === 'web');
    expect(await logs.read('shop', 'abcdef1', { type: 'build', component: 'web' }, 5000)).toEqual(webBuild);
    expect(await logs.read('shop', 'abcdef1', { type: 'run' }, 5)).toEqual([]);
    expect(await logs.read('shop', 'missing', {}, 5)).toEqual([]);
  });

  it('skips a line cut short, and reads files written before lines were numbered', async () => {
    const writer = await logs.open('shop', 'abcdef1', plain);
    writer.write('build', 'whole');
    await writer.close();
    const file = path.join(dir, 'shop', 'abcdef1.jsonl');
    await appendFile(file, '{"type":"build","seq":2,"ti');
    expect((await logs.read('shop', 'abcdef1', {}, 5)).map((l) => l.line)).toEqual(['whole']);
    await appendFile(path.join(dir, 'shop', 'old0001.jsonl'), '{"type":"build","time":"t","line":"old"}\n');
    expect(await logs.read('shop', 'old0001', { type: 'build' }, 5)).toEqual([
      { type: 'build', time: 't', line: 'old' },
    ]);
  });

  it('answers a read with every line written before it, even those still on their way to the file', async () => {
    const writer = await logs.open('shop', 'abcdef1', plain);
    for (let i = 1; i <= 5000; i++) writer.write('build', String(i));
    const [tail, whole] = await Promise.all([
      logs.read('shop', 'abcdef1', { type: 'build' }, 1),
      logs.read('shop', 'abcdef1', { type: 'build' }),
    ]);
    expect(tail.map((l) => l.seq)).toEqual([5000]);
    expect(whole).toHaveLength(5000);
    await writer.close();
    expect((await readFile(path.join(dir, 'shop', 'abcdef1.jsonl'), 'utf8')).split('\n')).toHaveLength(5001);
  });
});
