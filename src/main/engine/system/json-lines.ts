/**
 * Splits a byte stream of newline-delimited JSON into parsed objects. Chunks
 * from Docker are not aligned to lines, so a partial line waits for the rest.
 */
export function jsonLineSplitter(onObject: (value: unknown) => void): (chunk: Buffer | string) => void {
  let buffered = '';
  return (chunk) => {
    buffered += chunk.toString();
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) {
        try {
          onObject(JSON.parse(line));
        } catch {
          // A line that is not JSON is not an event; skip it rather than end the stream.
        }
      }
      newline = buffered.indexOf('\n');
    }
  };
}
