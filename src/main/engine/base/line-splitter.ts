import { StringDecoder } from 'node:string_decoder';

export interface LineSplitterOptions {
  /** The longest line kept whole; a longer one is cut at this many characters (default 1 MiB). */
  maxLineLength?: number;
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
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      lines.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
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
