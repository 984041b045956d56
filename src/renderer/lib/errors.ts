import { SlipwayError, type ErrorCode } from '../../shared/errors';
import type { SpecProblem } from '../../shared/spec/app-spec';

export interface ShownError {
  code: ErrorCode;
  message: string;
  /** Spec errors and warnings that came with a SPEC_INVALID answer. */
  problems?: { errors: SpecProblem[]; warnings: SpecProblem[] };
  /** Request fields the engine refused (INVALID_REQUEST). */
  issues?: Array<{ path: string; message: string }>;
}

function isProblemList(value: unknown): value is SpecProblem[] {
  return (
    Array.isArray(value) &&
    value.every((p) => typeof p === 'object' && p !== null && typeof (p as SpecProblem).message === 'string')
  );
}

/** What a screen may say about a failure: Slipway's own errors by code; anything else without its detail. */
export function describeError(err: unknown): ShownError {
  if (!(err instanceof SlipwayError)) {
    return { code: 'INTERNAL', message: 'Something unexpected went wrong in this window.' };
  }
  const shown: ShownError = { code: err.code, message: err.message };
  const details = err.details as { errors?: unknown; warnings?: unknown; issues?: unknown } | undefined;
  if (details && isProblemList(details.errors)) {
    shown.problems = { errors: details.errors, warnings: isProblemList(details.warnings) ? details.warnings : [] };
  }
  if (details && Array.isArray(details.issues)) {
    shown.issues = (details.issues as Array<{ path?: unknown; message?: unknown }>)
      .filter((i) => typeof i?.message === 'string')
      .map((i) => ({ path: String(i.path ?? ''), message: String(i.message) }));
  }
  return shown;
}
