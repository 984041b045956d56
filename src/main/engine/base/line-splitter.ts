import { StringDecoder } from 'node:string_decoder';

export interface LineSplitterOptions {
  /** The longest line kept whole; a longer one is cut at this many characters (default 1 MiB). */
  maxLineLength?: number;
  /** A lone `\r` ends a line too: progress output (git's) redraws its line with it. */
  breakOnCarriageReturn?: boolean;
}

/**
 * Splits a byte stream into lines. Chunks are not aligned to lines, nor to
 * characters: the decoder keeps a multi-byte character split across two
 * chunks whole, and a partial line waits for the rest. `\r\n` ends a line as
 * `\n` does. `end()` returns what is left after the last newline.
 */
export function lineSplitter(options: LineSplitterOptions = {}): {
  push(chunk: Buffer | string): string[];
  end(): string[];
} {
  const max = options.maxLineLength ?? 1024 * 1024;
  const decoder = new StringDecoder('utf8');
  let buffered = '';
  const take = (text: string): string[] => {
    buffered += text;
    const lines: string[] = [];
    const breaks = options.breakOnCarriageReturn ? /\r\n|\r|\n/g : /\r?\n/g;
    let start = 0;
    for (const match of buffered.matchAll(breaks)) {
      // A \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (match[0] === '\r' && match.index === buffered.length - 1) break;
      lines.push(buffered.slice(start, match.index));
      start = match.index + match[0].length;
    }
    buffered = buffered.slice(start);
    while (buffered.length > max) {
      lines.push(buffered.slice(0, max));
      buffered = buffered.slice(max);
    }
    return lines;
  };
  return {
    push: (chunk) => take(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
    end: () => {
      const lines = take(decoder.end());
      if (buffered) lines.push(buffered);
      buffered = '';
      return lines;
    },
  };
}
