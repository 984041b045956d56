import { SlipwayError } from '../../../shared/errors';

const BLOCK = 512;

/**
 * A tar archive (ustar) holding one regular file: small generated build
 * contexts need no folder on disk. Owned by root, mode 0644, dated at the epoch
 * so that the same content always makes the same bytes.
 */
export function oneFileTar(name: string, content: Buffer | string): Buffer {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const nameBytes = Buffer.from(name, 'utf8');
  // A longer name would need the prefix field or a pax header; nothing that calls this needs either.
  if (nameBytes.length === 0 || nameBytes.length > 100) {
    throw new SlipwayError('INTERNAL', `tar entry name: ${nameBytes.length} bytes, must be 1 to 100`, { name });
  }
  const header = Buffer.alloc(BLOCK);
  nameBytes.copy(header, 0);
  octal(0o644, 8).copy(header, 100);
  octal(0, 8).copy(header, 108);
  octal(0, 8).copy(header, 116);
  octal(body.length, 12).copy(header, 124);
  octal(0, 12).copy(header, 136);
  header.write('0', 156, 'ascii');
  header.write('ustar\u000000', 257, 'ascii');
  // The checksum is summed with its own field read as eight spaces.
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  const padding = (BLOCK - (body.length % BLOCK)) % BLOCK;
  // Two zero blocks end the archive.
  return Buffer.concat([header, body, Buffer.alloc(padding), Buffer.alloc(2 * BLOCK)]);
}

/** A numeric field: zero-padded octal digits and a NUL, `width` bytes in all. */
function octal(value: number, width: number): Buffer {
  return Buffer.from(`${value.toString(8).padStart(width - 1, '0')}\u0000`, 'ascii');
}
