import { lineSplitter } from '../base/line-splitter';

/**
 * Splits a byte stream of newline-delimited JSON into parsed objects. Chunks
 * from Docker are not aligned to lines, so a partial line waits for the rest.
 */
export function jsonLineSplitter(onObject: (value: unknown) => void): (chunk: Buffer | string) => void {
  // Docker's messages are small; a line past this bound is cut, fails to parse, and is skipped.
  const split = lineSplitter({ maxLineLength: 16 * 1024 * 1024 });
  return (chunk) => {
    for (const raw of split.push(chunk)) {
      const line = raw.trim();
      if (!line) continue;
      try {
        onObject(JSON.parse(line));
      } catch {
        // A line that is not JSON is not an event; skip it rather than end the stream.
      }
    }
  };
}
