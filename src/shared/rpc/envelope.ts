import { SlipwayError, type ErrorPayload } from '../errors';

/** What every call returns on the wire, whatever the transport. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload };

export function ok<T>(data: T): Envelope<T> {
  return { ok: true, data };
}

export function fail(error: ErrorPayload): Envelope<never> {
  return { ok: false, error };
}

/**
 * Turns anything thrown into an error payload. Errors Slipway did not raise on
 * purpose become INTERNAL without their message: it may hold paths or secrets.
 */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof SlipwayError) return err.toPayload();
  return {
    code: 'INTERNAL',
    message: "Slipway hit an unexpected error. It is recorded, secrets hidden, in engine.log in Slipway's data folder.",
  };
}

/** Returns the data of a successful envelope, or throws its error as a SlipwayError. */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.data;
  throw SlipwayError.fromPayload(envelope.error);
}
