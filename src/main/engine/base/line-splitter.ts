import { SlipwayError } from '../../../shared/errors';

export interface LineSplitterOptions {
  /** The longest line kept whole; a longer one is cut at this many characters (default 1 MiB). */
  maxLineLength?: number;
  /** A lone `\r` ends a line too: progress output (git's) redraws its line with it. */
  breakOnCarriageReturn?: boolean;
  /**
   * For a protocol rather than a log: a line over the limit or bytes that are
   * not UTF-8 throw INVALID_REQUEST instead of being cut or replaced, since a
   * cut or mangled message is no message. The splitter is done after a throw.
   */
  strict?: boolean;
}

/** What ends a line that was cut at the limit; the rest of that line, up to its newline, is dropped. */
export const cutMarker = (max: number) => `… [line cut at ${max.toLocaleString('en-US')} characters]`;

/**
 * Splits a byte stream into lines. Chunks are not aligned to lines, nor to
 * characters: the decoder keeps a multi-byte character split across two
 * chunks whole, and a partial line waits for the rest. `\r\n` ends a line as
 * `\n` does. A line that grows past the limit is given at once, cut and
 * marked, and what follows up to its newline is dropped: memory stays bounded
 * however long a line is. `end()` returns what is left after the last newline.
 */
export function lineSplitter(options: LineSplitterOptions = {}): {
  push(chunk: Buffer | string): string[];
  end(): string[];
} {
  const max = options.maxLineLength ?? 1024 * 1024;
  const strict = options.strict ?? false;
  const breakOnCr = options.breakOnCarriageReturn ?? false;
  // ignoreBOM keeps a BOM in the text, as any other character: a log is not a document.
  const decoder = new TextDecoder('utf-8', { fatal: strict, ignoreBOM: true });
  const breaks = breakOnCr ? /[\r\n]/g : /\n/g;
  // The partial line in pieces: joining them on every chunk would make a long line cost quadratic time.
  let held: string[] = [];
  let heldLength = 0;
  // After a cut, the rest of that line is dropped until its newline.
  let dropping = false;
  // A `\r` that ended a chunk ended its line: a `\n` starting the next chunk belongs to it.
  let swallowLf = false;

  const tooLong = () =>
    new SlipwayError('INVALID_REQUEST', `A message is longer than ${max.toLocaleString('en-US')} characters.`);

  const finish = (lines: string[], tail: string) => {
    if (dropping) {
      dropping = false;
      return;
    }
    let line = held.length === 0 ? tail : held.join('') + tail;
    held = [];
    heldLength = 0;
    if (!breakOnCr && line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > max) {
      if (strict) throw tooLong();
      line = line.slice(0, max) + cutMarker(max);
    }
    lines.push(line);
  };

  /** Keeps a piece of a line that has no break yet, cutting the line once it outgrows the limit. */
  const hold = (lines: string[], piece: string) => {
    if (dropping || piece === '') return;
    // One `\r` over the limit may still be the `\r` of a `\r\n`, so it does not cut the line.
    const counted = !breakOnCr && piece.endsWith('\r') ? piece.length - 1 : piece.length;
    if (heldLength + counted <= max) {
      held.push(piece);
      heldLength += piece.length;
      return;
    }
    if (strict) throw tooLong();
    const line = (held.join('') + piece).slice(0, max) + cutMarker(max);
    held = [];
    heldLength = 0;
    dropping = true;
    lines.push(line);
  };

  const take = (text: string): string[] => {
    const lines: string[] = [];
    let start = 0;
    if (swallowLf && text !== '') {
      if (text.startsWith('\n')) start = 1;
      swallowLf = false;
    }
    breaks.lastIndex = start;
    for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
      finish(lines, text.slice(start, match.index));
      start = match.index + 1;
      if (match[0] === '\r') {
        if (text[start] === '\n') start++;
        else if (start === text.length) swallowLf = true;
      }
      breaks.lastIndex = start;
    }
    hold(lines, text.slice(start));
    return lines;
  };

  const decode = (bytes?: Buffer): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new SlipwayError('INVALID_REQUEST', 'A message is not valid UTF-8.');
    }
  };

  return {
    push: (chunk) => take(typeof chunk === 'string' ? chunk : decode(chunk)),
    end: () => {
      const lines = take(decode());
      if (heldLength > 0 && !dropping) finish(lines, '');
      held = [];
      heldLength = 0;
      dropping = false;
      return lines;
    },
  };
}
