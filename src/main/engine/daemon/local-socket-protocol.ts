import { z } from 'zod';
import type { ErrorPayload } from '../../../shared/errors';

/**
 * The local socket carries the WebSocket transport's messages
 * (`socket-protocol.ts`), one JSON object per line, after a greeting: the
 * front end's first line presents the token and its version, and the engine
 * answers with its own version and pid, or refuses and hangs up.
 */
export const helloSchema = z
  .object({ t: z.literal('hello'), token: z.string().max(256), version: z.string().max(64) })
  .strict();
export type Hello = z.infer<typeof helloSchema>;

export type Greeting = { t: 'welcome'; version: string; pid: number } | { t: 'refused'; error: ErrorPayload };

/**
 * The largest message a front end accepts from the engine: log batches are
 * the largest. What a front end may send is bounded far lower
 * (`MAX_REQUEST_BYTES` in `serve-messages.ts`).
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A front end whose version differs from the engine's may reach only the `engine` domain: status and stop. */
export const MISMATCH_ALLOWED_PREFIX = 'engine.';
