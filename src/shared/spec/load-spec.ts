/*
 * Loading an app spec, step by step: parse the YAML, unwrap a deploy template's `spec:`, check the app's own
 * fields, load each component, then the checks across components and the envs' bindable variables. Every step
 * adds its problems to one list and goes on, so that the user sees all of them at once.
 */
import type { AppSpec, ComponentSpec, SpecLoadResult } from './app-spec';
import type { BindableComponent } from './bindable-variables';
import { loadDatabases } from './database-spec';
import { loadDomains } from './domains';
import { checkDuplicateNames, checkDuplicateRoutes } from './duplicate-checks';
import { envsField, loadEnvs } from './env-lists';
import { loadIngress } from './ingress';
import { loadComponents } from './load-component';
import { mergeEnvs } from './merge-envs';
import { describeKind, describeValue, isMap, namesIn, type RawMap } from './raw-values';
import { readYaml } from './read-yaml';
import { resolveEnvs, type ResolveContext } from './resolve-envs';
import { APP_ADVICE, functionsAdvice, isEmpty, reportFields } from './spec-fields';
import { addIssues, ProblemList } from './spec-problems';
import { nameField } from './spec-schema';
import { forgiveName } from './usable-name';

export { DEFAULT_HEALTH_CHECK } from './component-settings';

export interface LoadSpecOptions {
  /** Names the file in problems about the whole document (a YAML syntax error, a spec that is not a mapping). */
  fileName?: string;
}

const APP_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'services',
  'static_sites',
  'workers',
  'jobs',
  'envs',
  'databases',
  'domains',
  'ingress',
]);
/** A mapping with none of these is some other file, not a spec with mistakes. */
const SPEC_FIELDS: ReadonlySet<string> = new Set([...APP_FIELDS, 'spec', ...Object.keys(APP_ADVICE)]);

/** Loads a DigitalOcean-style app spec: every error and warning at once, and the spec when there is no error. */
export function loadAppSpec(yamlText: string, options: LoadSpecOptions = {}): SpecLoadResult {
  const problems = new ProblemList();
  const root = options.fileName && options.fileName.trim() !== '' ? options.fileName : '(spec)';
  let spec: AppSpec | null = null;
  try {
    spec = load(yamlText, root, problems);
  } catch (error) {
    // Nothing above should throw; if something does, the user still gets an answer rather than a crash.
    const message = error instanceof Error ? error.message : String(error);
    problems.error(root, `Slipway could not read this spec (${message.split('\n')[0]}); please report this.`);
  }
  return { spec: problems.errors.length === 0 ? spec : null, errors: problems.errors, warnings: problems.warnings };
}

function load(yamlText: unknown, root: string, problems: ProblemList): AppSpec | null {
  if (typeof yamlText !== 'string') {
    problems.error(root, `the spec must be YAML text, not ${describeValue(yamlText)}`);
    return null;
  }
  const read = readYaml(yamlText);
  for (const warning of read.warnings) problems.warn(root, warning);
  if (!read.ok) {
    problems.error(root, read.message);
    return null;
  }
  const document = read.value;
  if (document === null || document === undefined) {
    problems.error(root, 'the spec is empty: write at least a `name` and one service');
    return null;
  }
  // What a file holds is not quoted: the path may name any file its owner can read, not a spec.
  if (!isMap(document)) {
    problems.error(root, `the spec must be a mapping with \`name\` and \`services\`, not ${describeKind(document)}`);
    return null;
  }
  if (!Object.keys(document).some((key) => SPEC_FIELDS.has(key))) {
    problems.error(root, 'this is not an app spec: it has none of `name`, `services`, `workers`, `jobs` or `spec`');
    return null;
  }
  if (!Object.hasOwn(document, 'spec')) return loadApp(document, problems);
  // DigitalOcean's deploy.template.yaml form: the app spec under `spec:`.
  const inner = document.spec;
  if (!isMap(inner)) {
    problems.error(
      ['spec'],
      `must be a mapping holding the app spec (name, services, ...), not ${describeValue(inner)}`,
    );
    return null;
  }
  for (const key of Object.keys(document)) {
    if (key !== 'spec') problems.warn([key], 'outside `spec:`, where a deploy template holds everything. Ignored.');
  }
  return loadApp(inner, problems);
}

function loadApp(top: RawMap, problems: ProblemList): AppSpec | null {
  reportFields(top, [], APP_FIELDS, APP_ADVICE, problems, new Set(['env', 'functions']));
  if (!isEmpty(top.functions)) problems.warn(['functions'], functionsAdvice(namesIn(top.functions)));

  const nameResult = nameField.safeParse(forgiveName(top.name, ['name'], problems));
  const appName = nameResult.success ? nameResult.data : null;
  if (!nameResult.success) addIssues(problems, ['name'], nameResult.error);

  const appEnvField = envsField(top, [], problems);
  const appEnvs = appEnvField ? loadEnvs(top[appEnvField], [appEnvField], problems) : [];

  const { loaded, named, declared, badLists, renamed } = loadComponents(top, problems);
  if (declared === 0 && badLists === 0) {
    problems.error(
      ['services'],
      `the spec has no services, static sites, workers or jobs, so there is nothing for Slipway to deploy${
        isEmpty(top.functions) ? '' : ' (it does not run functions: see the warnings)'
      }`,
    );
  }

  checkDuplicateNames(named, problems);
  const ingress = loadIngress(top, { named, renamed }, problems);
  // Routes that ingress overrides are not used (and warned about), so a clash between them does not matter.
  if (!ingress.decides) checkDuplicateRoutes(loaded, problems);
  if (appName === null) return null;

  // Components with errors still take part, so that their envs are checked too: all problems come out at once.
  const databases = loadDatabases(top.databases, problems);
  const domains = loadDomains(top.domains, problems);
  for (const db of databases) {
    const clash = named.find((n) => n.name === db.name);
    if (clash)
      problems.error(
        clash.path,
        `${db.name} is also the name of a database; give each component and database its own name`,
      );
  }
  const context: ResolveContext = {
    appName,
    components: new Map<string, BindableComponent>(loaded.map((c) => [c.name, { httpPort: c.httpPort }])),
    allNames: new Set(named.map((n) => n.name)),
    // A database that failed to load is still declared: references to it are not worth a second error.
    databases: new Set([...databases.map((d) => d.name), ...namesIn(top.databases)]),
    reported: new Set<string>(),
    renamed,
  };
  const specs: ComponentSpec[] = [];
  for (const { spec, name, envs } of loaded) {
    const resolved = resolveEnvs(mergeEnvs(appEnvs, envs), name, context, problems);
    if (spec) specs.push({ ...spec, envs: resolved });
  }
  return {
    name: appName,
    components: specs,
    databases,
    ...(domains.length > 0 ? { domains } : {}),
    ...(ingress.routes ? { ingress: ingress.routes } : {}),
  };
}
