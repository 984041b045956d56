/*
 * DigitalOcean's `ingress.rules`: each rule that leads a path prefix to a service or static site becomes one of the
 * app's path routes. What Slipway cannot do yet (redirects, rewrites, host matching, CORS) is warned about and left
 * out, never refused, so that a spec written for DigitalOcean still deploys.
 */
import { servesHttp } from '../component-kinds';
import type { ComponentKind, PathRoute } from './app-spec';
import { normalisePrefix } from './path-routes';
import { isYamlScalar } from './read-yaml';
import { describeValue, isMap, type RawMap } from './raw-values';
import { isEmpty, reportFields } from './spec-fields';
import { formatPath, quote, type Path, type ProblemList } from './spec-problems';
import { NAME_PATTERN, PATH_PREFIX, PATH_PREFIX_RULE } from './spec-schema';

/** The spec's components as loadComponents found them: every valid name, where it is, and the names it changed. */
export interface IngressTargets {
  named: readonly { name: string; path: Path }[];
  renamed: ReadonlyMap<string, string>;
}

export interface LoadedIngress {
  /** The rules that lead to a component; undefined when the spec has no ingress rules. */
  routes: PathRoute[] | undefined;
  /** Whether rules lead to components, which then decide alone: the components' own `routes` are not used. */
  decides: boolean;
}

const RULE_ADVICE = { cors: 'Slipway does not add CORS headers; set them in your app. Ignored.' };
const COMPONENT_ADVICE = {
  rewrite:
    'Slipway does not rewrite paths: the prefix is cut off (or kept, with preserve_path_prefix: true); have the component serve the path it gets. Ignored.',
};
const MATCH_ADVICE = {
  authority:
    "Slipway routes by path alone, on every one of the app's domains; give a host name that needs other routes an app of its own. Ignored.",
};

const KIND_OF_LIST: Readonly<Record<string, ComponentKind>> = {
  services: 'service',
  static_sites: 'static_site',
  workers: 'worker',
  jobs: 'job',
};
const KIND_NAMES: Readonly<Record<ComponentKind, string>> = {
  service: 'a service',
  static_site: 'a static site',
  worker: 'a worker',
  job: 'a job',
};
const RECEIVES_NO_HTTP = 'which receives no HTTP; lead the rule to a service or static site';

type Target = { name: string; preservePathPrefix: boolean };
/** Names a rule may give that are not components: told apart so that the message says what they are. */
type OtherNames = { databases: ReadonlySet<string>; functions: ReadonlySet<string> };
/** A rule's path prefix, and the field to name in a problem about it. */
type Match = { prefix: string; at: Path };

/** Loads `ingress:`; problems name the field, so a bad rule never hides the others. */
export function loadIngress(top: RawMap, targets: IngressTargets, problems: ProblemList): LoadedIngress {
  const none: LoadedIngress = { routes: undefined, decides: false };
  const ingress = top.ingress;
  if (isEmpty(ingress)) return none;
  if (!isMap(ingress)) {
    problems.error(['ingress'], `must be a mapping with \`rules\`, not ${describeValue(ingress)}`);
    return none;
  }
  reportFields(ingress, ['ingress'], new Set(['rules']), {}, problems);
  const rules = ingress.rules;
  if (rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0)) return none;
  if (!Array.isArray(rules)) {
    problems.error(
      ['ingress', 'rules'],
      `must be a list of rules, each with \`component\` and \`match\`, not ${describeValue(rules)}`,
    );
    return none;
  }
  const others: OtherNames = { databases: rawNames(top.databases), functions: rawNames(top.functions) };
  const routes: PathRoute[] = [];
  const seen = new Map<string, Path>();
  let decides = false;
  rules.forEach((raw: unknown, index) => {
    const path: Path = ['ingress', 'rules', index];
    const rule = loadRule(raw, path, targets, others, problems);
    if (rule === null) return;
    decides = true;
    if (rule.match === null || rule.target === null) return;
    const { prefix, at } = rule.match;
    const first = seen.get(prefix);
    if (first) {
      problems.error(at, `${prefix} is already the prefix of ${formatPath(first)}; each prefix leads to one component`);
      return;
    }
    seen.set(prefix, path);
    routes.push({ prefix, component: rule.target.name, preservePathPrefix: rule.target.preservePathPrefix });
  });
  if (decides) warnComponentRoutes(top, problems);
  return { routes, decides };
}

/** A rule that leads to a component (null parts had errors); null for a rule that leads nowhere Slipway serves. */
function loadRule(
  raw: unknown,
  path: Path,
  targets: IngressTargets,
  others: OtherNames,
  problems: ProblemList,
): { match: Match | null; target: Target | null } | null {
  if (!isMap(raw)) {
    problems.error(path, `must be a mapping with \`component\` and \`match\`, not ${describeValue(raw)}`);
    return null;
  }
  reportFields(raw, path, new Set(['component', 'match']), RULE_ADVICE, problems, new Set(['redirect']));
  const match = readMatch(raw.match, path, problems);
  const leads = raw.component !== undefined && raw.component !== null;
  if (raw.redirect !== undefined && raw.redirect !== null) {
    if (leads) {
      problems.error(
        [...path, 'redirect'],
        'a rule leads to a component or redirects, not both: remove `redirect` or `component`',
      );
      return null;
    }
    const which = match ? `${match.prefix}: ` : '';
    problems.warn(
      [...path, 'redirect'],
      `${which}Slipway does not redirect yet; answer the path with a redirect from one of your services instead. Ignored.`,
    );
    return null;
  }
  if (!leads) {
    problems.error(
      path,
      'must lead to a component: add `component: {name: ...}` naming a service or static site, or remove the rule',
    );
    return null;
  }
  const target = readComponent(raw.component, [...path, 'component'], targets, others, problems);
  if (target === 'function') return null;
  return { match, target };
}

/** The rule's prefix: `/` without `match` or `path`, as on DigitalOcean. */
function readMatch(value: unknown, rulePath: Path, problems: ProblemList): Match | null {
  if (value === undefined || value === null) return { prefix: '/', at: rulePath };
  const at = [...rulePath, 'match'];
  if (!isMap(value)) {
    problems.error(at, `must be a mapping with \`path: {prefix: ...}\`, not ${describeValue(value)}`);
    return null;
  }
  reportFields(value, at, new Set(['path']), MATCH_ADVICE, problems);
  const path = value.path;
  if (path === undefined || path === null) return { prefix: '/', at };
  if (!isMap(path)) {
    problems.error([...at, 'path'], `must be a mapping with \`prefix\`, not ${describeValue(path)}`);
    return null;
  }
  reportFields(path, [...at, 'path'], new Set(['prefix']), {}, problems);
  const prefix = path.prefix;
  if (prefix === undefined || prefix === null) return { prefix: '/', at: [...at, 'path'] };
  if (typeof prefix !== 'string' || !PATH_PREFIX.test(prefix)) {
    problems.error([...at, 'path', 'prefix'], `must be ${PATH_PREFIX_RULE}, not ${describeValue(prefix)}`);
    return null;
  }
  return { prefix: normalisePrefix(prefix), at: [...at, 'path', 'prefix'] };
}

/** The component a rule leads to; 'function' for one of the spec's functions, which Slipway leaves out. */
function readComponent(
  value: unknown,
  at: Path,
  targets: IngressTargets,
  others: OtherNames,
  problems: ProblemList,
): Target | 'function' | null {
  if (!isMap(value)) {
    problems.error(at, `must be a mapping with the component's \`name\`, not ${describeValue(value)}`);
    return null;
  }
  reportFields(value, at, new Set(['name', 'preserve_path_prefix']), COMPONENT_ADVICE, problems);
  const preserve = value.preserve_path_prefix;
  const preserveOk = preserve === undefined || preserve === null || isBoolean(preserve);
  if (!preserveOk) problems.error([...at, 'preserve_path_prefix'], 'must be true or false');

  const name = value.name;
  if (typeof name !== 'string' || name.trim() === '') {
    problems.error(
      [...at, 'name'],
      name === undefined || name === null
        ? 'required: the name of a service or static site'
        : `must be the name of a service or static site, not ${describeValue(name)}`,
    );
    return null;
  }
  const used = targets.renamed.get(name) ?? name;
  const declared = targets.named.find((c) => c.name === used);
  if (!declared) {
    if (others.functions.has(name)) {
      problems.warn(
        [...at, 'name'],
        `${shown(name)} is a function, which Slipway does not run (see the warning on functions), so no path leads to it. Ignored.`,
      );
      return 'function';
    }
    problems.error(
      [...at, 'name'],
      others.databases.has(name)
        ? `${shown(name)} is a database, ${RECEIVES_NO_HTTP}`
        : `${quote(name)} is not a component of this spec; name one of its services or static sites`,
    );
    return null;
  }
  const kind = KIND_OF_LIST[String(declared.path[0])];
  if (kind === undefined || !servesHttp({ kind })) {
    problems.error([...at, 'name'], `${used} is ${kind ? KIND_NAMES[kind] : 'not a service'}, ${RECEIVES_NO_HTTP}`);
    return null;
  }
  if (!preserveOk) return null;
  return { name: used, preservePathPrefix: isBoolean(preserve) ? preserve.value : false };
}

/** DigitalOcean uses ingress alone once it has rules: routes written on the components would silently go unused. */
function warnComponentRoutes(top: RawMap, problems: ProblemList): void {
  for (const field of ['services', 'static_sites']) {
    const list = top[field];
    if (!Array.isArray(list)) continue;
    list.forEach((component: unknown, index) => {
      if (!isMap(component) || isEmpty(component.routes)) return;
      problems.warn(
        [field, index, 'routes'],
        'the spec has ingress rules, and they alone decide which path leads where (as on DigitalOcean), so these routes are not used; write them as ingress rules. Ignored.',
      );
    });
  }
}

/** A name from the spec for a message: as written when it is a valid name, quoted otherwise. */
function shown(name: string): string {
  return NAME_PATTERN.test(name) ? name : quote(name);
}

function isBoolean(value: unknown): value is { value: boolean } {
  return isYamlScalar(value) && typeof value.value === 'boolean';
}

/** The names written in a list of databases or functions, as they were written. */
function rawNames(list: unknown): ReadonlySet<string> {
  if (!Array.isArray(list)) return new Set();
  return new Set(list.flatMap((item: unknown) => (isMap(item) && typeof item.name === 'string' ? [item.name] : [])));
}
