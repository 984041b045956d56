import { describe, expect, it } from 'vitest';
import { base64Length, DB_SHELL_MAX_INPUT_BYTES, dbShellContract } from './db-shell';

const session = '0123456789abcdef0123456789abcdef';
const base64Of = (bytes: number) => btoa('x'.repeat(bytes));

describe('dbShell contract', () => {
  it('takes input up to its bound, as base64', () => {
    const input = dbShellContract.input.request;
    expect(base64Of(DB_SHELL_MAX_INPUT_BYTES).length).toBe(base64Length(DB_SHELL_MAX_INPUT_BYTES));
    expect(input.safeParse({ session, data: base64Of(DB_SHELL_MAX_INPUT_BYTES) }).success).toBe(true);
    expect(input.safeParse({ session, data: base64Of(DB_SHELL_MAX_INPUT_BYTES + 1) }).success).toBe(false);
    expect(input.safeParse({ session, data: 'not base64!' }).success).toBe(false);
    expect(input.safeParse({ session, data: '' }).success).toBe(true);
  });

  it('refuses session ids that are not the engine’s, and unknown fields', () => {
    const close = dbShellContract.close.request;
    expect(close.safeParse({ session }).success).toBe(true);
    expect(close.safeParse({ session: '../x' }).success).toBe(false);
    expect(close.safeParse({ session, extra: 1 }).success).toBe(false);
  });

  it('opens at a terminal unless asked not to; input may say it is the last', () => {
    const open = dbShellContract.open.request;
    expect(open.parse({ app: 'shop', db: 'db', cols: 80, rows: 24 }).tty).toBe(true);
    expect(open.parse({ app: 'shop', db: 'db', cols: 80, rows: 24, tty: false }).tty).toBe(false);
    expect(dbShellContract.input.request.safeParse({ session, data: '', end: true }).success).toBe(true);
    expect(dbShellContract.input.request.safeParse({ session, data: '', end: 'yes' }).success).toBe(false);
  });

  it('bounds terminal sizes and names', () => {
    const open = dbShellContract.open.request;
    expect(open.safeParse({ app: 'shop', db: 'db', cols: 80, rows: 24 }).success).toBe(true);
    expect(open.safeParse({ app: 'shop', db: 'db', cols: 0, rows: 24 }).success).toBe(false);
    expect(open.safeParse({ app: 'shop', db: 'db', cols: 80, rows: 10_000 }).success).toBe(false);
    expect(open.safeParse({ app: 'shop', db: 'db; rm -rf /', cols: 80, rows: 24 }).success).toBe(false);
    expect(dbShellContract.resize.request.safeParse({ session, cols: 80.5, rows: 24 }).success).toBe(false);
  });
});
