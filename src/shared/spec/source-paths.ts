export type SourcePathResult = { ok: true; path: string } | { ok: false; reason: string };

// Control characters (NUL included) have no business in a path and confuse logs and tar headers.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:|[\\/]{2})/;
const MAX_PATH = 1024;

/**
 * Normalises a path inside a source tree (DigitalOcean's `source_dir`, `dockerfile_path`): relative to the root, a
 * leading `/` meaning the root; returns '' for the root itself. Refuses paths that escape the root.
 */
export function normaliseSourcePath(raw: string): SourcePathResult {
  if (raw.length > MAX_PATH) return { ok: false, reason: `must be at most ${MAX_PATH} characters` };
  if (CONTROL.test(raw)) return { ok: false, reason: 'must not contain control characters (such as NUL or newlines)' };
  if (WINDOWS_ABSOLUTE.test(raw)) {
    return {
      ok: false,
      reason: `${JSON.stringify(raw)} is an absolute Windows path; write it relative to the source root`,
    };
  }
  // A spec written on Windows may use backslashes; treating them as separators also stops `..\..` slipping past.
  const parts: string[] = [];
  for (const part of raw.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return { ok: false, reason: `${JSON.stringify(raw)} leads outside the source root` };
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return { ok: true, path: parts.join('/') };
}

/** Joins normalised source paths ('' is the root). */
export function joinSourcePath(...paths: string[]): string {
  return paths.filter((p) => p !== '').join('/');
}
