/** Replaces every secret value in a text with a marker naming its key. */
export type Redactor = (text: string) => string;

/** Builds a redactor for the given secrets (key → plain value). */
export function createRedactor(secrets: Record<string, string>): Redactor {
  const entries = Object.entries(secrets)
    .filter(([, value]) => value.length > 0)
    // Longer values first, so a secret that contains another is hidden whole.
    .sort((a, b) => b[1].length - a[1].length);
  if (entries.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const [key, value] of entries) {
      if (out.includes(value)) out = out.split(value).join(`[secret ${key}]`);
    }
    return out;
  };
}
