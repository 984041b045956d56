/*
 * The untyped values readYaml gives back, before any schema has looked at them: how to tell a mapping from the
 * rest, and how to name what was found in a message.
 */
import { isYamlScalar } from './read-yaml';
import { quote } from './spec-problems';
import { NAME_PATTERN } from './spec-schema';

/** A YAML mapping, as readYaml gives it back. */
export type RawMap = Record<string, unknown>;

/** A YAML mapping as toJS makes it: a plain object (not a list, a wrapped scalar or a `!!binary` byte array). */
export function isMap(value: unknown): value is RawMap {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The component names in a list, for messages: valid names as they are, anything else quoted. */
export function namesIn(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((item: unknown) => (isMap(item) && item.name !== undefined ? item.name : undefined))
    .filter((name) => name !== undefined)
    .map((name) => (typeof name === 'string' && NAME_PATTERN.test(name) ? name : quote(String(name))));
}

/** What kind of value was found, for a message that says what was expected instead. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (isYamlScalar(value)) return typeof value.value === 'boolean' ? 'true/false' : `the number ${value.source}`;
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (isMap(value)) return 'a mapping';
  return `a value of type ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`;
}

/** What kind of value was found, never quoting it: for a whole file, which may not be a spec at all. */
export function describeKind(value: unknown): string {
  if (typeof value === 'string') return 'text';
  if (isYamlScalar(value)) return typeof value.value === 'boolean' ? 'true/false' : 'a number';
  return describeValue(value);
}
