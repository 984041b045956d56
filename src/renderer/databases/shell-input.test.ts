import { describe, expect, it } from 'vitest';
import { DB_SHELL_MAX_INPUT_BYTES } from '../../shared/domains/db-shell';
import { base64ToBytes, binaryStringBytes, bytesToBase64 } from './base64';
import { shellInput } from './shell-input';

describe('base64', () => {
  it('round-trips any bytes, large ones too', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(bytesToBase64(new TextEncoder().encode('select 40+2;\r'))).toBe(btoa('select 40+2;\r'));
    expect(binaryStringBytes('\x1b[A\xff')).toEqual(Uint8Array.from([0x1b, 0x5b, 0x41, 0xff]));
  });
});

describe('shellInput', () => {
  it('sends in order, one call at a time, in pieces the contract takes', async () => {
    const sent: number[] = [];
    let inFlight = 0;
    let most = 0;
    const input = shellInput(
      async (data) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await Promise.resolve();
        sent.push(base64ToBytes(data).length);
        inFlight -= 1;
      },
      () => undefined,
    );
    input(new Uint8Array(DB_SHELL_MAX_INPUT_BYTES * 2 + 5));
    await input(new TextEncoder().encode('x'));
    expect(sent).toEqual([DB_SHELL_MAX_INPUT_BYTES, DB_SHELL_MAX_INPUT_BYTES, 5, 1]);
    expect(most).toBe(1);
  });

  it('stops at the first failure and reports it once', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const input = shellInput(
      async () => {
        calls += 1;
        throw new Error('gone');
      },
      (err) => errors.push(err),
    );
    input(new Uint8Array(1));
    await input(new Uint8Array(1));
    expect(calls).toBe(1);
    expect(errors).toHaveLength(1);
  });
});
