const LAYER_LINE = /^ ---> ([0-9a-f]{12,64})$/;
const FROM_STEP = /^Step \d+\/\d+ : FROM /i;

/**
 * The layer a classic-builder output line says this build made, or null.
 * A layer printed after "Using cache" comes from an earlier build, and one
 * printed right after a FROM step is the base image: neither is ours to remove.
 */
export function createdLayer(previousLine: string, line: string): string | null {
  const layer = LAYER_LINE.exec(line.trimEnd());
  if (!layer) return null;
  const previous = previousLine.trim();
  if (previous === '---> Using cache' || FROM_STEP.test(previous)) return null;
  return layer[1]!;
}
