/*
 * The last step of a load: each env value with the bindable variables Slipway knows filled in, and a warning for
 * every `${...}` it leaves as written, saying why.
 */
import type { EnvVar } from './app-spec';
import { parseReference, resolveBindables, type BindableComponent } from './bindable-variables';
import { DATABASE_VARIABLES } from './database-bindings';
import type { PlacedEnv } from './env-lists';
import { formatPath, type ProblemList } from './spec-problems';

/** What the references in env values can point at, across the whole spec. */
export interface ResolveContext {
  appName: string;
  components: ReadonlyMap<string, BindableComponent>;
  /** Every validly named component, loaded or not: a reference to one that failed is not worth a second warning. */
  allNames: ReadonlySet<string>;
  databases: ReadonlySet<string>;
  /** Warnings already given, so that an app-level env is reported once, not once per component. */
  reported: Set<string>;
  /** Components deployed under another name than written (usable-name.ts): references to the written one follow. */
  renamed?: ReadonlyMap<string, string>;
}

/** The envs of the component `self` with their bindable variables resolved; warns about those left as written. */
export function resolveEnvs(envs: PlacedEnv[], self: string, context: ResolveContext, problems: ProblemList): EnvVar[] {
  return envs.map(({ valuePath, ...env }) => {
    const { value, unresolved } = resolveBindables(followRenames(env.value, context.renamed), {
      appName: context.appName,
      self,
      components: context.components,
      databases: new Map([...context.databases].map((db) => [db, null])),
    });
    for (const reference of unresolved) {
      const undeclared = undeclaredScope(reference, context);
      const message = undeclared
        ? `${env.key}: \${${reference}} refers to ${undeclared}, which the spec does not declare (no component or database has that name); declare it, or set the real value here.`
        : unresolvedMessage(env.key, reference, self, context);
      const id = `${formatPath(valuePath)}\n${message}`;
      if (message && !context.reported.has(id)) {
        context.reported.add(id);
        if (undeclared) problems.error(valuePath, message);
        else problems.warn(valuePath, message);
      }
    }
    return { ...env, value };
  });
}

function unresolvedMessage(key: string, reference: string, self: string, context: ResolveContext): string | null {
  const written = `\${${reference}}`;
  const kept = 'the value is kept as written: set the real value here';
  const parts = parseReference(reference);
  if (!parts) return `${key}: ${written} is not a variable Slipway knows; ${kept}.`;
  const { scope, name } = parts;
  if (scope === null) {
    return `${key}: ${written} is not a variable Slipway provides (it knows APP_NAME, APP_URL and APP_DOMAIN); ${kept}.`;
  }
  const component = scope === '_self' ? self : scope;
  if (context.databases.has(component)) {
    return `${key}: ${written}: a database provides ${DATABASE_VARIABLES.join(', ')}, not ${name}; ${kept}.`;
  }
  const target = context.components.get(component);
  if (target) {
    if (target.httpPort === null && ['PRIVATE_URL', 'PRIVATE_PORT', 'PUBLIC_URL', 'URL'].includes(name)) {
      return `${key}: ${written}: ${component} is not a service, so it has no port or URL; ${kept}.`;
    }
    return `${key}: Slipway does not provide ${written} (for a component it knows NAME, HOSTNAME, PRIVATE_DOMAIN, PRIVATE_PORT, PRIVATE_URL and PUBLIC_URL); ${kept}.`;
  }
  return null;
}

/** The scope a reference names when nothing in the spec has that name (a component that failed to load has). */
function undeclaredScope(reference: string, context: ResolveContext): string | null {
  const scope = parseReference(reference)?.scope;
  if (!scope || scope === '_self') return null;
  if (context.components.has(scope) || context.databases.has(scope) || context.allNames.has(scope)) return null;
  return scope;
}

/** `${HD117.PRIVATE_URL}` written for a component deployed as hd117 becomes `${hd117.PRIVATE_URL}`. */
function followRenames(value: string, renamed: ReadonlyMap<string, string> | undefined): string {
  if (!renamed || renamed.size === 0) return value;
  return value.replace(/\$\{([^{}\s.]+)\.([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, scope: string, name: string) => {
    const used = renamed.get(scope);
    return used === undefined ? whole : `\${${used}.${name}}`;
  });
}
