import type { z } from 'zod';
import type { SpecProblem } from './app-spec';

export type PathSegment = string | number;
/** Where a problem is, field by field: `['services', 1, 'http_port']`. */
export type Path = readonly PathSegment[];

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MAX_QUOTED = 60;

/** Formats a field path the way users read it: `services[1].http_port`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    // Keys come from the user's YAML: anything odd is quoted so a path can never smuggle in newlines or fake fields.
    else if (!PLAIN_KEY.test(segment)) out += `[${quote(segment)}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Quotes a user-supplied value for a message: JSON-escaped and cut short. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(cut);
}

/** Collects every error and warning of one load, so that none stops the others. */
export class ProblemList {
  readonly errors: SpecProblem[] = [];
  readonly warnings: SpecProblem[] = [];

  error(path: readonly PathSegment[] | string, message: string): void {
    this.errors.push({ path: typeof path === 'string' ? path : formatPath(path), message });
  }

  warn(path: readonly PathSegment[] | string, message: string): void {
    this.warnings.push({ path: typeof path === 'string' ? path : formatPath(path), message });
  }
}

/** zod's issues as problems, under `base`; `rename` maps a field read under another name back to what was written. */
export function addIssues(
  problems: ProblemList,
  base: Path,
  error: z.ZodError,
  rename: Record<string, string> = {},
): void {
  for (const issue of error.issues) {
    const segments = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    const [first, ...rest] = segments;
    const renamed = typeof first === 'string' && Object.hasOwn(rename, first) ? rename[first] : first;
    problems.error([...base, ...(renamed === undefined ? [] : [renamed]), ...rest], issue.message);
  }
}
