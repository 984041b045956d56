/** Replaces every secret value in a text with a marker naming its key. */
export type Redactor = (text: string) => string;

/**
 * Logs are written a line at a time, so a multi-line secret (a PEM key) never
 * appears whole: each of its lines is hidden on its own. Below this length a
 * line (`{`, `}`, a blank) is too common to hide everywhere and too short to
 * give the secret away.
 */
const MIN_SECRET_LINE = 8;

/** What to look for in a text: a secret's whole value, then each line of a multi-line one. */
function patternsOf(value: string): string[] {
  const lines = value.split(/\r?\n/);
  if (lines.length === 1) return value.length > 0 ? [value] : [];
  const parts = lines.map((line) => line.trim()).filter((line) => line.length >= MIN_SECRET_LINE);
  return [...new Set([value, ...parts])];
}

/** Builds a redactor for the given secrets (key → plain value). */
export function createRedactor(secrets: Record<string, string>): Redactor {
  const entries = Object.entries(secrets)
    .flatMap(([key, value]) => patternsOf(value).map((pattern) => [key, pattern] as const))
    // Longer patterns first, so a secret that contains another (or one of its own lines) is hidden whole.
    .sort((a, b) => b[1].length - a[1].length);
  if (entries.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const [key, pattern] of entries) {
      if (out.includes(pattern)) out = out.split(pattern).join(`[secret ${key}]`);
    }
    return out;
  };
}
