import type { z } from 'zod';
import { SlipwayError } from '../errors';

export interface FieldIssue {
  /** Dotted path with list indexes, e.g. `services[1].http_port`; empty for the whole value. */
  path: string;
  message: string;
}

/** Formats a path the way users read it: `services[1].http_port`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Validates a value, or throws INVALID_REQUEST naming every bad field at once. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value === undefined ? {} : value);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new SlipwayError('INVALID_REQUEST', `Invalid request to ${what}: ${summary}`, { issues });
}
