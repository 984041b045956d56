import type { z } from 'zod';
import { SlipwayError } from '../errors';
import { fail, ok, toErrorPayload, type Envelope } from './envelope';
import { lookupEntry, type Contract, type MethodSpec, type StreamSpec } from './contract';
import type { Unsubscribe } from './transport';
import { parseRequest } from './validation';

type MethodHandler<S> = S extends MethodSpec<infer Req, infer Res> ? (request: z.output<Req>) => Promise<Res> : never;
type StreamHandler<S> =
  S extends StreamSpec<infer P, infer E>
    ? (params: z.output<P>, emit: (event: E) => void) => Promise<Unsubscribe> | Unsubscribe
    : never;

/** What the engine implements: one handler per contract entry. */
export type Handlers<C extends Contract> = {
  [D in keyof C]: {
    [E in keyof C[D]]: C[D][E] extends MethodSpec ? MethodHandler<C[D][E]> : StreamHandler<C[D][E]>;
  };
};

export interface RouterOptions {
  /**
   * Sees every error a handler throws before it is answered, and returns what
   * to answer: the same error, or a typed one that says what it means. Errors
   * that are not a SlipwayError reach the caller only as INTERNAL, so this is
   * where they are recorded.
   */
  onError?(err: unknown, name: string): unknown;
}

export interface Router {
  call(name: string, request: unknown): Promise<Envelope<unknown>>;
  subscribe(name: string, params: unknown, emit: (event: unknown) => void): Promise<Envelope<Unsubscribe>>;
}

/**
 * Binds handlers to a contract. Every request is validated against its schema
 * here, before any handler sees it, whichever transport brought it.
 */
export function createRouter<C extends Contract>(
  contract: C,
  handlers: Handlers<C>,
  options: RouterOptions = {},
): Router {
  async function answer(err: unknown, name: string): Promise<Envelope<never>> {
    let shown = err;
    try {
      if (options.onError) shown = await options.onError(err, name);
    } catch {
      // An onError that fails must not turn one failure into another: answer the first.
    }
    return fail(toErrorPayload(shown));
  }

  function handlerFor(name: string, kind: 'method' | 'stream'): { spec: MethodSpec | StreamSpec; fn: Function } {
    const spec = lookupEntry(contract, name);
    if (!spec || spec.kind !== kind) {
      throw new SlipwayError('UNKNOWN_METHOD', `Slipway has no ${kind} named "${name}".`, { name });
    }
    const [domain, entry] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
    const fn = (handlers as Record<string, Record<string, Function>>)[domain]![entry]!;
    return { spec, fn };
  }

  return {
    async call(name, request) {
      try {
        const { spec, fn } = handlerFor(name, 'method');
        const parsed = parseRequest((spec as MethodSpec).request, request, name);
        return ok(await fn(parsed));
      } catch (err) {
        return answer(err, name);
      }
    },
    async subscribe(name, params, emit) {
      try {
        const { spec, fn } = handlerFor(name, 'stream');
        const parsed = parseRequest((spec as StreamSpec).params, params, name);
        const unsubscribe = (await fn(parsed, emit)) as Unsubscribe;
        return ok(unsubscribe);
      } catch (err) {
        return answer(err, name);
      }
    },
  };
}
