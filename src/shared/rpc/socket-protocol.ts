import { z } from 'zod';
import type { Envelope } from './envelope';

/**
 * Messages of the WebSocket transport. The client numbers its requests; a
 * subscription keeps the id of the request that opened it.
 */
export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('call'),
    id: z.number().int().nonnegative(),
    name: z.string().max(200),
    request: z.unknown(),
  }),
  z.object({ t: z.literal('sub'), id: z.number().int().nonnegative(), name: z.string().max(200), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  { t: 'result'; id: number; result: Envelope<unknown> } | { t: 'event'; id: number; event: unknown };

/** Name of the query parameter that carries the per-run token. */
export const SOCKET_TOKEN_PARAM = 'token';
