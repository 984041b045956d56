/** The command of a Procfile's `web:` line (Heroku's format, which DigitalOcean's buildpacks read too); null when it has none. */
export function procfileWeb(text: string | null): string | null {
  if (text === null) return null;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*web\s*:\s*(.+?)\s*$/.exec(line);
    if (match) return match[1]!;
  }
  return null;
}
