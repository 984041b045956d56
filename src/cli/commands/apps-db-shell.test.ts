import { describe, expect, it } from 'vitest';
import type { DbShellEvent } from '../../shared/domains/db-shell';
import { SlipwayError } from '../../shared/errors';
import type { ShellTerminal } from '../shell-terminal';
import { runDbShell, splitInput, type DbShellRun } from './apps-db-shell';

const SESSION = '0123456789abcdef0123456789abcdef';
const text = (b64: string) => Buffer.from(b64, 'base64').toString();

/** An engine's dbShell domain, as the test drives it. */
function fakeClient() {
  const calls: Array<[string, unknown]> = [];
  let emit: (event: DbShellEvent) => void = () => undefined;
  let unsubscribed = 0;
  const inputs: string[] = [];
  let ended = 0;
  const client: DbShellRun['client'] = {
    dbShell: {
      open: async (request) => {
        calls.push(['open', request]);
        return { session: SESSION };
      },
      output: async (params, onEvent) => {
        calls.push(['output', params]);
        emit = onEvent;
        return () => void (unsubscribed += 1);
      },
      input: async ({ data, end }) => {
        if (end) ended += 1;
        if (data) inputs.push(text(data));
        if (text(data) === '\\q\n') emit({ type: 'exit', code: 0 });
        return { ok: true };
      },
      resize: async (request) => {
        calls.push(['resize', request]);
        return { ok: true };
      },
      close: async (request) => {
        calls.push(['close', request]);
        return { closed: true };
      },
    },
  };
  return {
    client,
    calls,
    inputs,
    emit: (e: DbShellEvent) => emit(e),
    unsubscribed: () => unsubscribed,
    ended: () => ended,
  };
}

function fakeTerminal(interactive: boolean) {
  const written: string[] = [];
  const errors: string[] = [];
  const notes: string[] = [];
  const raw: boolean[] = [];
  let input: (chunk: Buffer) => void = () => undefined;
  let end: () => void = () => undefined;
  let resize: (size: { cols: number; rows: number }) => void = () => undefined;
  let released = false;
  const terminal: ShellTerminal = {
    interactive,
    size: () => ({ cols: 100, rows: 30 }),
    setRaw: (on) => void raw.push(on),
    onInput: (data, onEnd) => {
      input = data;
      end = onEnd;
    },
    pauseInput: () => undefined,
    resumeInput: () => undefined,
    onResize: (listener) => {
      resize = listener;
      return () => (resize = () => undefined);
    },
    write: (chunk) => void written.push(chunk.toString()),
    writeError: (chunk) => void errors.push(chunk.toString()),
    note: (t) => void notes.push(t),
    release: () => void (released = true),
  };
  return {
    terminal,
    written,
    errors,
    notes,
    raw,
    type: (t: string) => input(Buffer.from(t)),
    end: () => end(),
    resize: (cols: number, rows: number) => resize({ cols, rows }),
    released: () => released,
  };
}

const never = new Promise<void>(() => undefined);
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('splitInput', () => {
  it('cuts input into bounded pieces, in order', () => {
    const pieces = splitInput(Buffer.from('abcdefg'), 3).map(String);
    expect(pieces).toEqual(['abc', 'def', 'g']);
    expect(splitInput(Buffer.alloc(0), 3)).toEqual([]);
  });
});

describe('runDbShell', () => {
  it('opens at the terminal size, prints output, sends input in order, and exits with the client code', async () => {
    const c = fakeClient();
    const t = fakeTerminal(true);
    const run = runDbShell({ client: c.client, terminal: t.terminal, app: 'shop', db: 'db', interrupted: never });
    await flush();
    expect(c.calls[0]).toEqual(['open', { app: 'shop', db: 'db', cols: 100, rows: 30, tty: true }]);
    c.emit({ type: 'data', data: Buffer.from('db=# ').toString('base64') });
    t.type('select 40+2;\n');
    t.resize(120, 40);
    t.type('\\q\n');
    expect(await run).toBe(0);
    expect(t.written).toEqual(['db=# ']);
    expect(c.inputs).toEqual(['select 40+2;\n', '\\q\n']);
    expect(c.calls).toContainEqual(['resize', { session: SESSION, cols: 120, rows: 40 }]);
    // Raw mode on while it ran, off after; the stream ended and input released.
    expect(t.raw).toEqual([true, false]);
    expect(c.unsubscribed()).toBe(1);
    expect(t.released()).toBe(true);
  });

  it('runs piped input without a terminal, ends its input, splits its streams, and passes a failing code on', async () => {
    const c = fakeClient();
    const t = fakeTerminal(false);
    const run = runDbShell({ client: c.client, terminal: t.terminal, app: 'shop', db: 'db', interrupted: never });
    await flush();
    expect(c.calls[0]).toEqual(['open', { app: 'shop', db: 'db', cols: 100, rows: 30, tty: false }]);
    t.type('select 1/0;');
    t.end();
    await flush();
    await flush();
    expect(c.inputs).toEqual(['select 1/0;']);
    expect(c.ended()).toBe(1);
    c.emit({ type: 'data', data: btoa('ERROR:  division by zero\n'), stream: 'stderr' });
    c.emit({ type: 'exit', code: 3 });
    expect(await run).toBe(3);
    expect(t.errors).toEqual(['ERROR:  division by zero\n']);
    expect(t.written).toEqual([]);
  });

  it('says why the engine ended a session and exits 1', async () => {
    const c = fakeClient();
    const t = fakeTerminal(true);
    const run = runDbShell({ client: c.client, terminal: t.terminal, app: 'shop', db: 'db', interrupted: never });
    await flush();
    c.emit({ type: 'exit', code: null, reason: 'Closed.' });
    expect(await run).toBe(1);
    expect(t.notes.join('')).toContain('Closed.');
  });

  it('closes the session when interrupted', async () => {
    const c = fakeClient();
    const t = fakeTerminal(false);
    let interrupt: () => void = () => undefined;
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
    const run = runDbShell({ client: c.client, terminal: t.terminal, app: 'shop', db: 'db', interrupted });
    await flush();
    interrupt();
    expect(await run).toBe(130);
    expect(c.calls).toContainEqual(['close', { session: SESSION }]);
  });

  it('fails with the engine’s error when input cannot be sent', async () => {
    const c = fakeClient();
    c.client.dbShell.input = async () => {
      throw new SlipwayError('ENGINE_LOST', 'gone');
    };
    const t = fakeTerminal(true);
    const run = runDbShell({ client: c.client, terminal: t.terminal, app: 'shop', db: 'db', interrupted: never });
    await flush();
    t.type('x');
    await expect(run).rejects.toMatchObject({ code: 'ENGINE_LOST' });
    expect(t.raw).toEqual([true, false]);
  });

  it('passes a refusal to open on, untouched', async () => {
    const c = fakeClient();
    c.client.dbShell.open = async () => {
      throw new SlipwayError('DATABASE_NOT_FOUND', 'shop has no database named nope in its spec.');
    };
    const t = fakeTerminal(true);
    await expect(
      runDbShell({ client: c.client, terminal: t.terminal, app: 'shop', db: 'nope', interrupted: never }),
    ).rejects.toMatchObject({ code: 'DATABASE_NOT_FOUND' });
    expect(t.raw).toEqual([]);
  });
});
