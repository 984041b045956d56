import { open } from 'node:fs/promises';

/** Bytes read at a time, from the end backwards. */
const CHUNK_BYTES = 256 * 1024;

/**
 * The last `count` lines of a file that `pick` keeps, oldest first, read from
 * the end backwards a chunk at a time: the tail of a million-line log costs
 * what the tail holds, not the whole file. `pick` gets each non-empty line
 * without its newline and returns what to keep, or undefined to pass over it.
 * Only the bytes the file held when it was opened are read: a line being
 * appended meanwhile is not seen, and a last line cut short is given to
 * `pick` like any other.
 */
export async function readLastLines<T>(
  file: string,
  count: number,
  pick: (raw: string) => T | undefined,
  chunkBytes = CHUNK_BYTES,
): Promise<T[]> {
  const found: T[] = [];
  if (count <= 0) return found;
  const handle = await open(file, 'r');
  try {
    let position = (await handle.stat()).size;
    /** The start of the earliest line seen so far, whose beginning lies before `position`. */
    let carry = Buffer.alloc(0);
    const consider = (buffer: Buffer, start: number, end: number) => {
      if (end <= start) return;
      const kept = pick(buffer.toString('utf8', start, end));
      if (kept !== undefined) found.push(kept);
    };
    while (position > 0 && found.length < count) {
      const length = Math.min(chunkBytes, position);
      position -= length;
      const buffer = Buffer.allocUnsafe(length + carry.length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead < length) throw new Error(`${file} shrank while it was read`);
      carry.copy(buffer, length);
      // 0x0a never occurs inside a multi-byte UTF-8 character: splitting the bytes on it is safe.
      let end = buffer.length;
      while (end > 0 && found.length < count) {
        const newline = buffer.lastIndexOf(0x0a, end - 1);
        if (newline < 0) break;
        consider(buffer, newline + 1, end);
        end = newline;
      }
      carry = buffer.subarray(0, end);
    }
    if (position === 0 && found.length < count) consider(carry, 0, carry.length);
  } finally {
    await handle.close();
  }
  return found.reverse();
}
