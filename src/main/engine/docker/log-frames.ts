import { lineSplitter } from '../base/line-splitter';

/** One line of a container's output, with the time Docker gave it when asked for timestamps. */
export interface FramedLine {
  time: string | null;
  text: string;
}

/** Docker's `--timestamps` prefix: an RFC 3339 time and one space. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;
/** A prefix is ASCII and short: this many bytes are enough to find it. */
const PREFIX_BYTES = 40;
const HEADER_BYTES = 8;

/**
 * Reads `docker logs` output chunk by chunk: the multiplexed frames of a
 * container without a TTY (8-byte header each), or the plain text of one with
 * a TTY. With `timestamps`, Docker stamps every log message, and it cuts a
 * line longer than 16 KiB into several messages, each stamped: so the stamp is
 * taken off every frame, not only the first of a line, and a line keeps the
 * time of its first part. Lines are cut at the line splitter's bound.
 */
export function logFrameReader(options: { timestamps: boolean }) {
  const split = lineSplitter();
  let pending: Buffer = Buffer.alloc(0);
  // Whether the output is multiplexed is known from its first bytes.
  let framed: boolean | null = null;
  let lineTime: string | null = null;
  let atLineStart = true;
  const out: FramedLine[] = [];

  const emit = (lines: string[], time: string | null) => {
    for (const text of lines) out.push({ time, text });
  };

  const stamp = (payload: Buffer): { time: string | null; rest: Buffer } => {
    if (!options.timestamps) return { time: null, rest: payload };
    const head = payload.subarray(0, PREFIX_BYTES).toString('latin1');
    const match = TIMESTAMP.exec(head);
    if (!match) return { time: null, rest: payload };
    return { time: match[0].slice(0, -1), rest: payload.subarray(match[0].length) };
  };

  /**
   * A frame: Docker sends one message per frame, but a frame holding several
   * lines is read as well. A stamp comes off the start of the frame and of
   * each line in it; a line ends only at a newline, whichever frame brings it.
   */
  const message = (payload: Buffer) => {
    let start = 0;
    while (start < payload.length) {
      const newline = payload.indexOf(0x0a, start);
      const end = newline < 0 ? payload.length : newline + 1;
      const { time, rest } = stamp(payload.subarray(start, end));
      if (atLineStart) lineTime = time;
      emit(split.push(rest), lineTime);
      if (newline >= 0) atLineStart = true;
      else if (rest.length > 0) atLineStart = false;
      start = end;
    }
  };

  /** Plain text (a TTY): stamps lead each line. */
  const plainLines = (lines: string[]) => {
    for (const line of lines) {
      const { time, rest } = stamp(Buffer.from(line, 'utf8'));
      out.push({ time, text: time ? rest.toString('utf8') : line });
    }
  };

  const isHeader = (b: Buffer) => b.length >= HEADER_BYTES && b[0]! <= 2 && b[1] === 0 && b[2] === 0 && b[3] === 0;

  return {
    /** The lines completed by this chunk. */
    push(chunk: Buffer): FramedLine[] {
      out.length = 0;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (framed === null) {
        if (pending.length < HEADER_BYTES) return [];
        framed = isHeader(pending);
      }
      if (!framed) {
        plainLines(split.push(pending));
        pending = Buffer.alloc(0);
        return [...out];
      }
      let offset = 0;
      while (offset + HEADER_BYTES <= pending.length) {
        const size = pending.readUInt32BE(offset + 4);
        if (offset + HEADER_BYTES + size > pending.length) break;
        message(pending.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + size));
        offset += HEADER_BYTES + size;
      }
      pending = pending.subarray(offset);
      return [...out];
    },
    /** What is left after the last newline (a last line without one, a cut-off frame). */
    end(): FramedLine[] {
      out.length = 0;
      if (framed) {
        // A frame cut off by the end of the answer: what arrived of it still counts.
        if (pending.length > HEADER_BYTES) message(pending.subarray(HEADER_BYTES));
        emit(split.end(), lineTime);
      } else plainLines([...split.push(pending), ...split.end()]);
      pending = Buffer.alloc(0);
      return [...out];
    },
  };
}

/** Every line of a whole `docker logs` answer, empty ones left out. */
export function readLogFrames(buffer: Buffer, options: { timestamps: boolean }): FramedLine[] {
  const reader = logFrameReader(options);
  return [...reader.push(buffer), ...reader.end()].filter((l) => l.text.length > 0);
}
