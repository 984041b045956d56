/*
 * Forgiving names, as DigitalOcean's "Deploy to DigitalOcean" button is: a name written with capitals, dots,
 * underscores or spaces (`HD117`, `bakey.us`, `SkyHelperAPI`) becomes one Slipway can use, with a warning naming
 * both. Anything else (a `;`, a `/`, a `$`) stays an error: such a name is a mistake or an attack, not a style.
 */
import { quote, type Path, type ProblemList } from './spec-problems';
import { NAME_PATTERN, NAME_RULE } from './spec-schema';

/** What a forgivable name may hold: letters (accents too), digits and the separators people put in names. */
const FORGIVABLE = /^[\p{L}\p{M}0-9 ._-]+$/u;
const MAX_NAME = 32;

/** The name Slipway uses for `name`: lower case, runs of separators as one dash, trimmed to 32; null if none fits. */
export function usableName(name: string): string | null {
  if (NAME_PATTERN.test(name)) return name;
  if (!FORGIVABLE.test(name)) return null;
  const plain = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_NAME)
    .replace(/-+$/, '');
  return NAME_PATTERN.test(plain) ? plain : null;
}

/**
 * The raw `name` field with a name Slipway cannot use replaced by its usable form (warned at `path`); any other
 * value is returned as it is, for the schema to judge.
 */
export function forgiveName(value: unknown, path: Path, problems: ProblemList): unknown {
  if (typeof value !== 'string' || NAME_PATTERN.test(value)) return value;
  const usable = usableName(value);
  if (usable === null) return value;
  problems.warn(
    path,
    `${quote(value)} is not a name Slipway can use (${NAME_RULE}), so it is deployed as ${usable}; write name: ${usable} to silence this.`,
  );
  return usable;
}
