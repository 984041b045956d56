/*
 * The output of an exec without a terminal: Docker multiplexes its standard output and error in frames, each an
 * 8-byte header (stream, three zero bytes, the payload's length, big-endian) and the payload. Read chunk by chunk,
 * since a chunk may end anywhere in a frame.
 */

export interface ExecFrame {
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

const HEADER_BYTES = 8;

export function execFrameReader() {
  let pending: Buffer = Buffer.alloc(0);
  return {
    /** The frames this chunk completes (an empty one is skipped); the rest waits for the next chunk. */
    push(chunk: Buffer): ExecFrame[] {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const out: ExecFrame[] = [];
      while (pending.length >= HEADER_BYTES) {
        const stream = pending[0] === 2 ? 'stderr' : 'stdout';
        const size = pending.readUInt32BE(4);
        if (pending.length < HEADER_BYTES + size) break;
        if (size > 0) out.push({ stream, data: pending.subarray(HEADER_BYTES, HEADER_BYTES + size) });
        pending = pending.subarray(HEADER_BYTES + size);
      }
      return out;
    },
  };
}
