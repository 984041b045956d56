import type { z } from 'zod';
import { SlipwayError } from '../errors';
import { unwrap } from './envelope';
import type { Contract, MethodSpec, StreamSpec } from './contract';
import type { Transport, Unsubscribe } from './transport';

type RequestArg<Req extends z.ZodType> =
  Record<never, never> extends z.input<Req> ? [request?: z.input<Req>] : [request: z.input<Req>];

type ClientEntry<S> =
  S extends MethodSpec<infer Req, infer Res>
    ? (...args: RequestArg<Req>) => Promise<Res>
    : S extends StreamSpec<infer P, infer E>
      ? (params: z.input<P>, onEvent: (event: E) => void) => Promise<Unsubscribe>
      : never;

/** The typed face of a contract: `client.system.info()` resolves or throws a SlipwayError. */
export type Client<C extends Contract> = { [D in keyof C]: { [E in keyof C[D]]: ClientEntry<C[D][E]> } };

/** Builds a client proxy for a contract over any transport. */
export function createClient<C extends Contract>(contract: C, transport: Transport): Client<C> {
  const client: Record<string, Record<string, unknown>> = {};
  for (const [domainName, domain] of Object.entries(contract)) {
    const entries: Record<string, unknown> = {};
    for (const [entryName, spec] of Object.entries(domain)) {
      const wireName = `${domainName}.${entryName}`;
      entries[entryName] =
        spec.kind === 'method'
          ? async (request?: unknown) => unwrap(await transport.call(wireName, request ?? {}))
          : async (params: unknown, onEvent: (event: unknown) => void) =>
              unwrap(await transport.subscribe(wireName, params ?? {}, onEvent));
    }
    client[domainName] = entries;
  }
  return client as Client<C>;
}

/** True when an error is a SlipwayError with the given code. */
export function hasErrorCode(err: unknown, code: SlipwayError['code']): boolean {
  return err instanceof SlipwayError && err.code === code;
}
