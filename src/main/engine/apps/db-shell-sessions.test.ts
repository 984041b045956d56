import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DbShellEvent } from '../../../shared/domains/db-shell';
import { SlipwayError } from '../../../shared/errors';
import type { TtyProcess } from '../docker/tty-exec';
import { DbShellSessions, type DbShellSessionsOptions } from './db-shell-sessions';

/** A process driven by the test: what it was sent, and its output and exit on demand. */
function fakeProcess() {
  const listeners: Array<(chunk: Buffer, stream: 'stdout' | 'stderr') => void> = [];
  let exit: (code: number | null) => void = () => undefined;
  const written: string[] = [];
  const sizes: Array<[number, number]> = [];
  const process: TtyProcess & { hungUp: number; inputEnded: number } = {
    hungUp: 0,
    inputEnded: 0,
    write: (data) => void written.push(data.toString()),
    endInput: () => void (process.inputEnded += 1),
    resize: async (cols, rows) => void sizes.push([cols, rows]),
    onData: (listener) => void listeners.push(listener),
    exited: new Promise((resolve) => (exit = resolve)),
    hangUp: async () => {
      process.hungUp += 1;
    },
  };
  return {
    process,
    written,
    sizes,
    print: (text: string | Buffer, stream: 'stdout' | 'stderr' = 'stdout') =>
      listeners.forEach((l) => l(Buffer.from(text), stream)),
    exit: (code: number | null) => exit(code),
  };
}

let ids = 0;
function sessions(options: Partial<DbShellSessionsOptions> = {}) {
  return new DbShellSessions({
    maxSessions: 2,
    attachTimeoutMs: 30_000,
    maxPendingBytes: 16,
    maxEventBytes: 8,
    newId: () => `s${++ids}`,
    ...options,
  });
}

const decoded = (events: DbShellEvent[]) =>
  events.map((e) => (e.type === 'data' ? Buffer.from(e.data, 'base64').toString() : e));
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as SlipwayError).code;
  }
  return null;
};
const flush = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('DbShellSessions', () => {
  it('keeps output until the viewer subscribes, then streams it in bounded events', async () => {
    const s = sessions();
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    p.print('psql (15)\n');
    const events: DbShellEvent[] = [];
    s.attach(id, (e) => events.push(e));
    p.print('db=# ');
    // Events carry at most maxEventBytes (8) bytes each.
    expect(decoded(events)).toEqual(['psql (15', ')\n', 'db=# ']);
  });

  it('drops output beyond its bound while nobody watches', async () => {
    const s = sessions();
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    p.print('0123456789');
    p.print('abcdefghij');
    p.print('more');
    const events: DbShellEvent[] = [];
    s.attach(id, (e) => events.push(e));
    expect(decoded(events).join('')).toBe('0123456789abcdef');
  });

  it('passes input, its end and sizes to the process', async () => {
    const s = sessions();
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    s.attach(id, () => undefined);
    s.input(id, Buffer.from('select 40+2;\n'));
    await s.resize(id, 120, 40);
    expect(p.written).toEqual(['select 40+2;\n']);
    expect(p.sizes).toEqual([[120, 40]]);
    expect(p.process.inputEnded).toBe(0);
    s.input(id, Buffer.alloc(0), true);
    expect(p.written).toEqual(['select 40+2;\n']);
    expect(p.process.inputEnded).toBe(1);
  });

  it('marks what a client without a terminal wrote to its standard error, waiting or not', async () => {
    const s = sessions();
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    p.print('early', 'stderr');
    const events: DbShellEvent[] = [];
    s.attach(id, (e) => events.push(e));
    p.print('ERROR', 'stderr');
    p.print('ok');
    expect(events).toEqual([
      { type: 'data', data: btoa('early'), stream: 'stderr' },
      { type: 'data', data: btoa('ERROR'), stream: 'stderr' },
      { type: 'data', data: btoa('ok') },
    ]);
  });

  it('ends with the exit code when the process exits, and forgets the session', async () => {
    const s = sessions();
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    const events: DbShellEvent[] = [];
    s.attach(id, (e) => events.push(e));
    p.exit(3);
    await flush();
    expect(events).toEqual([{ type: 'exit', code: 3 }]);
    expect(s.size).toBe(0);
    expect(codeOf(() => s.input(id, Buffer.from('x')))).toBe('SESSION_NOT_FOUND');
  });

  it('gives a viewer that comes after the exit the output and the exit', async () => {
    const s = sessions();
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    p.print('bye\n');
    p.exit(0);
    await flush();
    expect(codeOf(() => s.input(id, Buffer.from('x')))).toBe('SESSION_NOT_FOUND');
    const events: DbShellEvent[] = [];
    s.attach(id, (e) => events.push(e));
    expect(decoded(events)).toEqual(['bye\n', { type: 'exit', code: 0 }]);
    expect(s.size).toBe(0);
  });

  it('hangs the process up when the viewer unsubscribes', async () => {
    const s = sessions();
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    const unsubscribe = s.attach(id, () => undefined);
    unsubscribe();
    expect(p.process.hungUp).toBe(1);
    expect(s.size).toBe(0);
    unsubscribe();
    expect(p.process.hungUp).toBe(1);
  });

  it('closes a session: the viewer hears why, the process is hung up, a second close finds none', async () => {
    const s = sessions();
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    const events: DbShellEvent[] = [];
    s.attach(id, (e) => events.push(e));
    expect(s.close(id)).toBe(true);
    expect(events).toEqual([{ type: 'exit', code: null, reason: 'Closed.' }]);
    expect(p.process.hungUp).toBe(1);
    expect(s.close(id)).toBe(false);
  });

  it('allows one viewer per session', async () => {
    const s = sessions();
    const id = await s.open(async () => fakeProcess().process);
    s.attach(id, () => undefined);
    expect(codeOf(() => s.attach(id, () => undefined))).toBe('INVALID_REQUEST');
  });

  it('refuses unknown sessions', () => {
    const s = sessions();
    expect(codeOf(() => s.attach('nope', () => undefined))).toBe('SESSION_NOT_FOUND');
    expect(codeOf(() => s.input('nope', Buffer.from('x')))).toBe('SESSION_NOT_FOUND');
    expect(s.close('nope')).toBe(false);
  });

  it('holds at most maxSessions, counting those still starting, and frees a slot when one ends', async () => {
    const s = sessions();
    let release: (p: TtyProcess) => void = () => undefined;
    const starting = s.open(() => new Promise<TtyProcess>((resolve) => (release = resolve)));
    const second = await s.open(async () => fakeProcess().process);
    await expect(s.open(async () => fakeProcess().process)).rejects.toMatchObject({ code: 'SESSION_LIMIT' });
    release(fakeProcess().process);
    await starting;
    s.close(second);
    await expect(s.open(async () => fakeProcess().process)).resolves.toMatch(/^s/);
  });

  it('frees the slot of a session that failed to start, and passes its error on', async () => {
    const s = sessions({ maxSessions: 1 });
    const refused = new SlipwayError('DATABASE_NOT_FOUND', 'no such database');
    await expect(s.open(() => Promise.reject(refused))).rejects.toBe(refused);
    expect(s.size).toBe(0);
  });

  it('hangs up a session nobody subscribes to in time', async () => {
    vi.useFakeTimers();
    const s = sessions({ attachTimeoutMs: 1000 });
    const p = fakeProcess();
    const id = await s.open(async () => p.process);
    vi.advanceTimersByTime(999);
    expect(p.process.hungUp).toBe(0);
    vi.advanceTimersByTime(1);
    expect(p.process.hungUp).toBe(1);
    expect(codeOf(() => s.attach(id, () => undefined))).toBe('SESSION_NOT_FOUND');
  });

  it('hangs up a process that finished starting after every session was closed', async () => {
    const s = sessions();
    const p = fakeProcess();
    let release: (p: TtyProcess) => void = () => undefined;
    const starting = s.open(() => new Promise<TtyProcess>((resolve) => (release = resolve)));
    s.closeAll('The engine is stopping.');
    release(p.process);
    await expect(starting).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(p.process.hungUp).toBe(1);
  });
});
