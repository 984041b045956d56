import { describe, expect, it } from 'vitest';
import { decodeSpecBytes, MAX_SPEC_BYTES } from './spec-bytes';

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))));

describe('decodeSpecBytes', () => {
  it('reads UTF-8, every plane of it, and drops a UTF-8 byte order mark', () => {
    const text = 'name: größe\n# ✓ 日本語 🚀\n';
    expect(decodeSpecBytes(bytes(text))).toEqual({ ok: true, text });
    expect(decodeSpecBytes(bytes([0xef, 0xbb, 0xbf], text))).toEqual({ ok: true, text });
    expect(decodeSpecBytes(bytes('x'.repeat(20_000)))).toEqual({ ok: true, text: 'x'.repeat(20_000) });
  });

  it('refuses bytes that are not UTF-8, naming the byte, its line and its offset', () => {
    const result = decodeSpecBytes(bytes('name: shop\nservices:\n  - name: w', [0xff], 'b\n'));
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('byte 0xFF at line 3 (byte 32 of the file)'),
    });
    expect(!result.ok && result.message).toContain('save it as UTF-8');
  });

  it('refuses what only looks like UTF-8: overlong forms, surrogates, cut characters', () => {
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x9c],
    ]) {
      expect(decodeSpecBytes(bytes('a: ', bad))).toMatchObject({ ok: false, message: /not UTF-8 text: byte/ });
    }
  });

  it('says a UTF-16 or UTF-32 file is one, with or without its byte order mark', () => {
    const utf16le = Buffer.from('name: shop\n', 'utf16le');
    const utf16be = Buffer.from(utf16le).swap16();
    expect(decodeSpecBytes(bytes([0xff, 0xfe], [...utf16le]))).toMatchObject({
      ok: false,
      message: /UTF-16 \(little-endian\) text; Slipway reads UTF-8 only/,
    });
    expect(decodeSpecBytes(new Uint8Array(utf16le))).toMatchObject({ ok: false, message: /UTF-16 \(little-endian\)/ });
    expect(decodeSpecBytes(bytes([0xfe, 0xff], [...utf16be]))).toMatchObject({
      ok: false,
      message: /UTF-16 \(big-endian\)/,
    });
    expect(decodeSpecBytes(bytes([0xff, 0xfe, 0, 0], [0x6e, 0, 0, 0]))).toMatchObject({
      ok: false,
      message: /UTF-32 \(little-endian\)/,
    });
    expect(decodeSpecBytes(bytes([0, 0, 0, 0x6e]))).toMatchObject({ ok: false, message: /UTF-32 \(big-endian\)/ });
  });

  it('refuses a file over the bound', () => {
    expect(decodeSpecBytes(new Uint8Array(MAX_SPEC_BYTES + 1).fill(0x23))).toMatchObject({
      ok: false,
      message: /larger than/,
    });
  });
});
