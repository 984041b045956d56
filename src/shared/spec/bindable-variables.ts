/*
 * DigitalOcean's bindable variables (`${APP_URL}`, `${api.PRIVATE_URL}`, ...) as far as Slipway can honour them.
 * Components reach each other on the app's Docker network by component name, so the private ones are known when
 * the spec is loaded; the public ones depend on the host ports chosen at deploy time and are resolved then.
 */

import { DATABASE_VARIABLES } from './database-bindings';

export interface BindableComponent {
  /** The service's http_port; null for workers and jobs, which have no private URL. */
  httpPort: number | null;
}

export interface BindableContext {
  appName: string;
  /** The component whose env is being resolved: what `_self` means. */
  self: string;
  components: ReadonlyMap<string, BindableComponent>;
  /** Deploy time only: the app's public URL, for `${APP_URL}` (and `${APP_DOMAIN}` when appDomain is absent). */
  appUrl?: string;
  /** Deploy time only: the app's public host, for `${APP_DOMAIN}`. */
  appDomain?: string;
  /** Deploy time only: each service's public URL, for `${<component>.PUBLIC_URL}` and `${_self.URL}`. */
  publicUrls?: ReadonlyMap<string, string>;
  /** The spec's databases, with their variables once known (deploy time); null until then. */
  databases?: ReadonlyMap<string, Readonly<Record<string, string>> | null>;
}

export interface BindableResult {
  value: string;
  /** References that are neither resolved nor left for deploy time, as written inside `${...}`, without repeats. */
  unresolved: string[];
}

const REFERENCE = /\$\{([^{}\s]*)\}/g;
const PARTS = /^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z_][A-Za-z0-9_]*)$/;

/** Sentinel: the variable is resolved at deploy time and stays as written until then. */
const LATER = Symbol('deploy time');

/** Replaces the bindable variables Slipway knows in one env value; the rest stay as written. */
export function resolveBindables(value: string, context: BindableContext): BindableResult {
  const unresolved: string[] = [];
  // One pass with a callback: substituted text is never scanned again, so resolving twice changes nothing.
  const resolved = value.replace(REFERENCE, (whole, reference: string) => {
    const result = lookUp(reference, context);
    if (typeof result === 'string') return result;
    if (result === null && !unresolved.includes(reference)) unresolved.push(reference);
    return whole;
  });
  return { value: resolved, unresolved };
}

/** The parts of a reference: `db.DATABASE_URL` → scope `db`, name `DATABASE_URL`; null if it has no such shape. */
export function parseReference(reference: string): { scope: string | null; name: string } | null {
  const match = PARTS.exec(reference);
  if (!match) return null;
  return { scope: match[1] ?? null, name: match[2] ?? '' };
}

function lookUp(reference: string, context: BindableContext): string | typeof LATER | null {
  const parts = parseReference(reference);
  if (!parts) return null;
  const { scope, name } = parts;
  if (scope === null) return appVariable(name, context);
  const component = scope === '_self' ? context.self : scope;
  const spec = context.components.get(component);
  if (!spec) return databaseVariable(component, name, context);
  switch (name) {
    case 'NAME':
    case 'HOSTNAME':
    case 'PRIVATE_DOMAIN':
      return component;
    case 'PRIVATE_PORT':
      return spec.httpPort === null ? null : String(spec.httpPort);
    case 'PRIVATE_URL':
      return spec.httpPort === null ? null : `http://${component}:${spec.httpPort}`;
    case 'PUBLIC_URL':
    case 'URL':
      // Workers and jobs are not reachable from outside, so they have no public URL to wait for.
      if (spec.httpPort === null) return null;
      return context.publicUrls?.get(component) ?? LATER;
    default:
      return null;
  }
}

function databaseVariable(db: string, name: string, context: BindableContext): string | typeof LATER | null {
  if (!context.databases?.has(db) || !(DATABASE_VARIABLES as readonly string[]).includes(name)) return null;
  return context.databases.get(db)?.[name] ?? LATER;
}

function appVariable(name: string, context: BindableContext): string | typeof LATER | null {
  switch (name) {
    case 'APP_NAME':
      return context.appName;
    case 'APP_URL':
      return context.appUrl ?? LATER;
    case 'APP_DOMAIN':
      return context.appDomain ?? hostOf(context.appUrl) ?? LATER;
    default:
      return null;
  }
}

function hostOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  // The host without user or port: DigitalOcean's APP_DOMAIN is a bare host name (used e.g. as a WebAuthn RP ID).
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]+)/.exec(url);
  return match?.[1] ?? null;
}
