/*
 * The app's `domains:`, after DigitalOcean: each PRIMARY or ALIAS domain is a host name the server's
 * Slipway edge routes to the app. A wildcard needs a DNS challenge and a `zone` a DNS provider, neither
 * of which Slipway manages: they get a warning naming the domain, and the plain host names still load.
 */
import { describeValue, isMap } from './raw-values';
import type { ProblemList } from './spec-problems';

export interface DomainSpec {
  /** Lower case, without a trailing dot. */
  domain: string;
  type: 'PRIMARY' | 'ALIAS';
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const KNOWN_FIELDS = new Set(['domain', 'type', 'wildcard', 'zone', 'minimum_tls_version']);

/** Loads `domains:`; problems name the field, so a bad entry never hides the others. */
export function loadDomains(value: unknown, problems: ProblemList): DomainSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.error(
      ['domains'],
      `must be a list of domains, each starting with \`- domain:\`, not ${describeValue(value)}`,
    );
    return [];
  }
  const out: DomainSpec[] = [];
  value.forEach((raw: unknown, index) => {
    const path = ['domains', index] as const;
    if (!isMap(raw)) {
      problems.error(path, `must be a mapping with a domain, not ${describeValue(raw)}`);
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!KNOWN_FIELDS.has(key))
        problems.warn([...path, key], 'Slipway does not read this field of a domain. Ignored.');
    }
    const name = typeof raw.domain === 'string' ? raw.domain.trim().toLowerCase().replace(/\.$/, '') : '';
    const starred = name.startsWith('*.');
    if (!HOST_NAME.test(starred ? name.slice(2) : name)) {
      problems.error(
        [...path, 'domain'],
        `must be a host name such as app.example.com, not ${describeValue(raw.domain)}`,
      );
      return;
    }
    const type = raw.type === undefined ? 'PRIMARY' : raw.type;
    if (type === 'WILDCARD' || raw.wildcard === true || starred) {
      problems.warn(
        [...path, raw.wildcard === true ? 'wildcard' : raw.type === undefined ? 'domain' : 'type'],
        `${name}: Slipway's edge cannot obtain wildcard certificates (that needs a DNS provider). Ignored.`,
      );
      return;
    }
    if (type !== 'PRIMARY' && type !== 'ALIAS') {
      problems.error([...path, 'type'], `must be PRIMARY or ALIAS, not ${describeValue(raw.type)}`);
      return;
    }
    if (raw.zone !== undefined) {
      problems.warn(
        [...path, 'zone'],
        `${name}: Slipway does not manage DNS zones; point ${name} at the server yourself. The zone is ignored.`,
      );
    }
    if (out.some((d) => d.domain === name)) {
      problems.error([...path, 'domain'], `${name} is listed twice`);
      return;
    }
    out.push({ domain: name, type });
  });
  return out;
}
