import type { z } from 'zod';

/**
 * The RPC contract: per domain, a map of entry name → a request/response method
 * or an event stream. Request schemas are real values (they validate at the
 * engine's edge); response and event types exist only for the compiler.
 */
declare const phantom: unique symbol;
type Phantom<T> = { readonly [phantom]?: T };

export interface MethodSpec<Req extends z.ZodType = z.ZodType, Res = unknown> {
  readonly kind: 'method';
  readonly request: Req;
  readonly response: Phantom<Res>;
}

export interface StreamSpec<Params extends z.ZodType = z.ZodType, Event = unknown> {
  readonly kind: 'stream';
  readonly params: Params;
  readonly event: Phantom<Event>;
}

export type EntrySpec = MethodSpec | StreamSpec;
export type DomainContract = Record<string, EntrySpec>;
export type Contract = Record<string, DomainContract>;

/** Marks the response (or event) type of an entry. */
export function returns<T>(): Phantom<T> {
  return {};
}
export const emits = returns;

export function method<Req extends z.ZodType, Res>(request: Req, response: Phantom<Res>): MethodSpec<Req, Res> {
  return { kind: 'method', request, response };
}

export function stream<Params extends z.ZodType, Event>(
  params: Params,
  event: Phantom<Event>,
): StreamSpec<Params, Event> {
  return { kind: 'stream', params, event };
}

export type ResponseOf<S> = S extends MethodSpec<z.ZodType, infer Res> ? Res : never;
export type EventOf<S> = S extends StreamSpec<z.ZodType, infer E> ? E : never;

/** Wire names (`domain.entry`) of every method, and of every stream, of a contract. */
export type MethodName<C extends Contract> = {
  [D in keyof C & string]: { [E in keyof C[D] & string]: C[D][E] extends MethodSpec ? `${D}.${E}` : never }[keyof C[D] &
    string];
}[keyof C & string];
export type StreamName<C extends Contract> = {
  [D in keyof C & string]: { [E in keyof C[D] & string]: C[D][E] extends StreamSpec ? `${D}.${E}` : never }[keyof C[D] &
    string];
}[keyof C & string];

/** Finds an entry by its wire name without ever reaching into Object.prototype. */
export function lookupEntry(contract: Contract, name: string): EntrySpec | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const domainName = name.slice(0, dot);
  const entryName = name.slice(dot + 1);
  if (!Object.hasOwn(contract, domainName)) return undefined;
  const domain = contract[domainName]!;
  return Object.hasOwn(domain, entryName) ? domain[entryName] : undefined;
}

/** Lists the wire names of a contract's methods and of its streams. */
export function entryNames(contract: Contract): { methods: string[]; streams: string[] } {
  const methods: string[] = [];
  const streams: string[] = [];
  for (const [domainName, domain] of Object.entries(contract)) {
    for (const [entryName, spec] of Object.entries(domain)) {
      (spec.kind === 'method' ? methods : streams).push(`${domainName}.${entryName}`);
    }
  }
  return { methods, streams };
}
