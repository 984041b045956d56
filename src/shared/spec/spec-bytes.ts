/*
 * A spec file's bytes as text: UTF-8 only, as DigitalOcean reads specs. Anything else is refused with what it is
 * and where, rather than read as U+FFFD, which would pass and change what the user wrote.
 */

/** The largest spec file accepted; DigitalOcean's own app specs are a few kilobytes. */
export const MAX_SPEC_BYTES = 1024 * 1024;

export type DecodedSpec = { ok: true; text: string } | { ok: false; message: string };

const SAVE_AS_UTF8 = 'save it as UTF-8 (without a byte order mark, or with the UTF-8 one)';

/**
 * The encoding a YAML stream announces by its first bytes (YAML 1.2, 5.2): a
 * byte order mark, or the zero bytes UTF-16 and UTF-32 give ASCII text.
 */
function otherEncoding(b: Uint8Array): string | null {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  const zero = (v: number | undefined) => v === 0;
  const ascii = (v: number | undefined) => v !== undefined && v !== 0;
  if (zero(b0) && zero(b1) && ((b2 === 0xfe && b3 === 0xff) || (zero(b2) && ascii(b3)))) return 'UTF-32 (big-endian)';
  if ((b0 === 0xff && b1 === 0xfe && zero(b2) && zero(b3)) || (ascii(b0) && zero(b1) && zero(b2) && zero(b3))) {
    return 'UTF-32 (little-endian)';
  }
  if ((b0 === 0xfe && b1 === 0xff) || (zero(b0) && ascii(b1))) return 'UTF-16 (big-endian)';
  if ((b0 === 0xff && b1 === 0xfe) || (ascii(b0) && zero(b1))) return 'UTF-16 (little-endian)';
  return null;
}

/** How many bytes the UTF-8 sequence at `i` takes and the character it encodes, or null where it is not UTF-8. */
function utf8At(b: Uint8Array, i: number): { length: number; codePoint: number } | null {
  const first = b[i]!;
  if (first < 0x80) return { length: 1, codePoint: first };
  // The ranges of RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
  const [length, min, max] =
    first >= 0xc2 && first <= 0xdf
      ? [2, 0x80, 0x7ff]
      : first >= 0xe0 && first <= 0xef
        ? [3, 0x800, 0xffff]
        : first >= 0xf0 && first <= 0xf4
          ? [4, 0x10000, 0x10ffff]
          : [0, 0, 0];
  if (length === 0 || i + length > b.length) return null;
  let codePoint = first & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const next = b[i + k]!;
    if ((next & 0xc0) !== 0x80) return null;
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  if (codePoint < min || codePoint > max || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return null;
  return { length, codePoint };
}

function lineOf(b: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (b[i] === 0x0a) line++;
  return line;
}

/** Decodes a spec file: UTF-8 (a UTF-8 byte order mark is dropped), within {@link MAX_SPEC_BYTES}. */
export function decodeSpecBytes(bytes: Uint8Array): DecodedSpec {
  if (bytes.length > MAX_SPEC_BYTES) {
    return { ok: false, message: `the spec is larger than ${MAX_SPEC_BYTES} bytes (1 MiB)` };
  }
  const other = otherEncoding(bytes);
  if (other) return { ok: false, message: `the spec is ${other} text; Slipway reads UTF-8 only: ${SAVE_AS_UTF8}` };
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const parts: string[] = [];
  let units: number[] = [];
  while (i < bytes.length) {
    const char = utf8At(bytes, i);
    if (!char) {
      const hex = bytes[i]!.toString(16).toUpperCase().padStart(2, '0');
      return {
        ok: false,
        message: `the spec is not UTF-8 text: byte 0x${hex} at line ${lineOf(bytes, i)} (byte ${i} of the file) is not UTF-8; ${SAVE_AS_UTF8}`,
      };
    }
    if (char.codePoint > 0xffff) {
      const c = char.codePoint - 0x10000;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
    } else {
      units.push(char.codePoint);
    }
    // In slices: String.fromCharCode takes its units as arguments, and arguments are bounded.
    if (units.length >= 8192) {
      parts.push(String.fromCharCode(...units));
      units = [];
    }
    i += char.length;
  }
  parts.push(String.fromCharCode(...units));
  return { ok: true, text: parts.join('') };
}
