import type { z } from 'zod';
import type {
  AppSpec,
  ComponentKind,
  ComponentSource,
  ComponentSpec,
  EnvVar,
  HealthCheck,
  JobKind,
  Route,
  SpecLoadResult,
} from './app-spec';
import { parseReference, resolveBindables, type BindableComponent } from './bindable-variables';
import { hostedCloneUrl, type RepoHost } from './git-source';
import { mergeEnvs } from './merge-envs';
import { isYamlScalar, readYaml } from './read-yaml';
import { joinSourcePath } from './source-paths';
import {
  APP_ADVICE,
  IMAGE_ADVICE,
  isEmpty,
  JOB_ADVICE,
  reportFields,
  SERVICE_ADVICE,
  unsupportedComponentsAdvice,
  WORKER_ADVICE,
} from './spec-fields';
import { formatPath, ProblemList, quote, type PathSegment } from './spec-problems';
import {
  envListSchema,
  envSchema,
  fieldsOf,
  gitSchema,
  healthCheckSchema,
  hostedRepoSchema,
  imageSchema,
  jobSchema,
  NAME_PATTERN,
  nameField,
  routeSchema,
  serviceSchema,
  workerSchema,
  type ComponentInput,
  type EnvInput,
  type HealthCheckInput,
  type JobInput,
  type ServiceInput,
} from './spec-schema';

export interface LoadSpecOptions {
  /** Names the file in problems about the whole document (a YAML syntax error, a spec that is not a mapping). */
  fileName?: string;
}

type RawMap = Record<string, unknown>;
type Path = readonly PathSegment[];

/** An env var and where its value was written, for warnings about it. */
type PlacedEnv = EnvVar & { valuePath: Path };

/** A component whose fields have the right shapes; spec is null when it has other errors. */
interface LoadedComponent {
  spec: ComponentSpec | null;
  name: string;
  httpPort: number | null;
  envs: PlacedEnv[];
}

const DEFAULT_HTTP_PORT = 8080;
/** DigitalOcean's documented health check defaults. */
export const DEFAULT_HEALTH_CHECK: HealthCheck = {
  httpPath: null,
  port: null,
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 9,
};

const KINDS = [
  { field: 'services', kind: 'service', schema: serviceSchema, advice: SERVICE_ADVICE },
  { field: 'workers', kind: 'worker', schema: workerSchema, advice: WORKER_ADVICE },
  { field: 'jobs', kind: 'job', schema: jobSchema, advice: JOB_ADVICE },
] as const;

const APP_FIELDS: ReadonlySet<string> = new Set(['name', 'services', 'workers', 'jobs', 'envs']);
const GIT_SOURCES = ['git', 'github', 'gitlab', 'bitbucket'] as const;
/** Component fields read outside the schema: their meaning depends on the component's other fields. */
const HANDLED_COMPONENT_FIELDS: ReadonlySet<string> = new Set(['env', 'environment_slug', 'build_command']);
// DigitalOcean encrypts SECRET values on first submission; a spec exported from it holds them like this.
const DO_ENCRYPTED = /^EV\[[\s\S]*\]$/;

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
    problems.error(root, `the spec must be YAML text, not ${describe(yamlText)}`);
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
  if (!isMap(document)) {
    problems.error(root, `the spec must be a mapping with \`name\` and \`services\`, not ${describe(document)}`);
    return null;
  }
  if (!Object.hasOwn(document, 'spec')) return loadApp(document, problems);
  // DigitalOcean's deploy.template.yaml form: the app spec under `spec:`.
  const inner = document.spec;
  if (!isMap(inner)) {
    problems.error(['spec'], `must be a mapping holding the app spec (name, services, ...), not ${describe(inner)}`);
    return null;
  }
  for (const key of Object.keys(document)) {
    if (key !== 'spec') problems.warn([key], 'outside `spec:`, where a deploy template holds everything. Ignored.');
  }
  return loadApp(inner, problems);
}

function loadApp(top: RawMap, problems: ProblemList): AppSpec | null {
  reportFields(top, [], APP_FIELDS, APP_ADVICE, problems, new Set(['env', 'static_sites', 'functions']));
  for (const field of ['static_sites', 'functions'] as const) {
    const value = top[field];
    if (!isEmpty(value)) problems.warn([field], unsupportedComponentsAdvice(field, namesIn(value)));
  }

  const nameResult = nameField.safeParse(top.name);
  const appName = nameResult.success ? nameResult.data : null;
  if (!nameResult.success) addIssues(problems, ['name'], nameResult.error);

  const appEnvField = envsField(top, [], problems);
  const appEnvs = appEnvField ? loadEnvs(top[appEnvField], [appEnvField], problems) : [];

  const loaded: (LoadedComponent & { path: Path })[] = [];
  const named: { name: string; path: Path }[] = [];
  let declared = 0;
  let badLists = 0;
  for (const { field, kind, schema, advice } of KINDS) {
    const list = top[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      badLists++;
      problems.error(
        [field],
        isMap(list)
          ? `must be a list of components, each starting with \`- name:\`, not a mapping`
          : `must be a list of components, not ${describe(list)}`,
      );
      continue;
    }
    list.forEach((raw: unknown, index) => {
      declared++;
      const path: Path = [field, index];
      if (!isMap(raw)) {
        problems.error(path, `must be a mapping of the component's fields (name, source, ...), not ${describe(raw)}`);
        return;
      }
      if (typeof raw.name === 'string' && NAME_PATTERN.test(raw.name)) named.push({ name: raw.name, path });
      const component = loadComponent(kind, raw, path, schema, advice, problems);
      if (component) loaded.push({ ...component, path });
    });
  }
  if (declared === 0 && badLists === 0) {
    const hasOthers = !isEmpty(top.static_sites) || !isEmpty(top.functions);
    problems.error(
      ['services'],
      `the spec has no services, workers or jobs, so there is nothing for Slipway to deploy${
        hasOthers ? ' (it runs neither static sites nor functions: see the warnings)' : ''
      }`,
    );
  }

  checkDuplicateNames(named, problems);
  checkDuplicateRoutes(loaded, problems);
  if (appName === null) return null;

  // Components with errors still take part, so that their envs are checked too: all problems come out at once.
  const components = new Map<string, BindableComponent>(loaded.map((c) => [c.name, { httpPort: c.httpPort }]));
  const context = {
    appName,
    components,
    allNames: new Set(named.map((n) => n.name)),
    databases: new Set(namesIn(top.databases)),
    reported: new Set<string>(),
  };
  const specs: ComponentSpec[] = [];
  for (const { spec, name, envs } of loaded) {
    const resolved = resolveEnvs(mergeEnvs(appEnvs, envs), name, context, problems);
    if (spec) specs.push({ ...spec, envs: resolved });
  }
  return { name: appName, components: specs };
}

/** Which field holds a list of envs: `envs`, or the `env` people sometimes write for it. */
function envsField(raw: RawMap, path: Path, problems: ProblemList): 'envs' | 'env' | null {
  if (!Object.hasOwn(raw, 'env')) return Object.hasOwn(raw, 'envs') ? 'envs' : null;
  if (Object.hasOwn(raw, 'envs')) {
    problems.warn([...path, 'env'], 'both `env` and `envs` are set; only `envs` is read: move these into it. Ignored.');
    return 'envs';
  }
  problems.warn(
    [...path, 'env'],
    'the field is called `envs`; Slipway read this list as envs, but rename it so that DigitalOcean reads it too.',
  );
  return 'env';
}

function loadComponent(
  kind: ComponentKind,
  raw: RawMap,
  path: Path,
  schema: typeof serviceSchema | typeof workerSchema | typeof jobSchema,
  advice: Readonly<Record<string, string>>,
  problems: ProblemList,
): LoadedComponent | null {
  reportFields(raw, path, fieldsOf(schema), advice, problems, HANDLED_COMPONENT_FIELDS);
  reportNestedFields(raw, path, kind, problems);
  const envField = envsField(raw, path, problems);
  const envList = envField ? raw[envField] : undefined;
  if (envField && Array.isArray(envList)) reportEnvFields(envList, [...path, envField], problems);

  warnDeployOnPush(raw, path, problems);
  // Checked on the raw fields, so that they are reported even when a field has the wrong shape.
  const sourcesOk = checkSources(raw, path, problems);
  const buildOk = checkBuild(raw, path, problems);

  const input = envField === 'env' ? { ...raw, envs: raw.env } : raw;
  const result = schema.safeParse(input);
  if (!result.success) {
    addIssues(problems, path, result.error, envField === 'env' ? { envs: 'env' } : {});
    return null;
  }
  const data: ComponentInput = result.data;
  const errorsBefore = problems.errors.length;

  const source = componentSource(data, path, problems);
  const build = source.type === 'image' ? { sourceDir: '', dockerfilePath: '' } : buildPaths(data, path, problems);
  const envs = placeEnvs(data.envs ?? [], [...path, envField ?? 'envs'], problems);
  const service = kind === 'service' ? (data as ServiceInput) : null;
  const httpPort = service ? (service.http_port ?? DEFAULT_HTTP_PORT) : null;
  const internal = (service?.internal_ports ?? []).filter((p): p is number => p !== undefined);
  if (service && service.http_port === undefined && internal.length > 0 && !internal.includes(DEFAULT_HTTP_PORT)) {
    // DigitalOcean reads a service with internal_ports and no http_port as internal-only; Slipway still routes to
    // and health-checks the default port, which such a service usually does not listen on.
    problems.warn(
      [...path, 'http_port'],
      `not set, so Slipway uses ${DEFAULT_HTTP_PORT} for routing, PRIVATE_URL and the health check; if the service listens only on its internal_ports, set http_port to one of them.`,
    );
  }
  if (problems.errors.length > errorsBefore || !sourcesOk || !buildOk || !build) {
    return { spec: null, name: data.name, httpPort, envs };
  }
  const spec: ComponentSpec = {
    kind,
    name: data.name,
    source,
    sourceDir: build.sourceDir,
    dockerfilePath: build.dockerfilePath,
    runCommand: data.run_command !== undefined && data.run_command.trim() !== '' ? data.run_command : null,
    envs: [],
    instanceCount: data.instance_count ?? 1,
    httpPort,
    internalPorts: [...new Set(internal)],
    healthCheck: service ? healthCheck(service.health_check, [...path, 'health_check'], problems) : null,
    routes: service ? routes(service.routes ?? []) : [],
    jobKind: kind === 'job' ? jobKind((data as JobInput).kind) : null,
  };
  return { spec, name: data.name, httpPort, envs };
}

const HOSTED_REPO_FIELDS = fieldsOf(hostedRepoSchema('github'));
const NESTED_FIELDS: readonly [string, ReadonlySet<string>, Readonly<Record<string, string>>][] = [
  ['git', fieldsOf(gitSchema), {}],
  ['github', HOSTED_REPO_FIELDS, {}],
  ['gitlab', HOSTED_REPO_FIELDS, {}],
  ['bitbucket', HOSTED_REPO_FIELDS, {}],
  ['image', fieldsOf(imageSchema), IMAGE_ADVICE],
];

/** Unknown fields inside the nested mappings the schema reads; a worker's or job's health_check and routes are
 * ignored whole (with a warning), so what is inside them is not worth more warnings. */
function reportNestedFields(raw: RawMap, path: Path, kind: ComponentKind, problems: ProblemList): void {
  const nested = [...NESTED_FIELDS];
  if (kind === 'service') nested.push(['health_check', fieldsOf(healthCheckSchema), {}]);
  for (const [field, known, advice] of nested) {
    const value = raw[field];
    if (isMap(value)) reportFields(value, [...path, field], known, advice, problems);
  }
  const routeList = raw.routes;
  if (kind === 'service' && Array.isArray(routeList)) {
    routeList.forEach((route: unknown, i) => {
      if (isMap(route)) reportFields(route, [...path, 'routes', i], fieldsOf(routeSchema), {}, problems);
    });
  }
}

function reportEnvFields(list: unknown[], path: Path, problems: ProblemList): void {
  list.forEach((env: unknown, i) => {
    if (isMap(env)) reportFields(env, [...path, i], fieldsOf(envSchema), {}, problems);
  });
}

/** A component has one source at most: one git source or an image; none means the spec's own folder. */
function checkSources(raw: RawMap, path: Path, problems: ProblemList): boolean {
  const gitFields = GIT_SOURCES.filter((field) => raw[field] !== undefined && raw[field] !== null);
  if (gitFields.length > 1) {
    problems.error(path, `has ${gitFields.join(' and ')} sources; keep exactly one`);
    return false;
  }
  const [gitField] = gitFields;
  if (gitField && raw.image !== undefined && raw.image !== null) {
    problems.error(
      path,
      `has both a git source (${gitField}) and an image; a component is built from source or runs an image, not both: keep one`,
    );
    return false;
  }
  return true;
}

/** Slipway builds with a Dockerfile only; what only a buildpack or a build would use is reported. */
function checkBuild(raw: RawMap, path: Path, problems: ProblemList): boolean {
  const buildpackFields = ['environment_slug', 'build_command'].filter((field) => !isEmpty(raw[field]));
  if (raw.image !== undefined && raw.image !== null) {
    for (const field of ['dockerfile_path', 'source_dir', ...buildpackFields]) {
      if (!isEmpty(raw[field])) {
        problems.warn([...path, field], 'nothing is built for a component that runs an image. Ignored.');
      }
    }
    return true;
  }
  if (isEmpty(raw.dockerfile_path) && buildpackFields.length > 0) {
    problems.error(
      path,
      `Slipway builds with a Dockerfile; add dockerfile_path (buildpack builds with ${buildpackFields.join(' and ')} are not supported)`,
    );
    return false;
  }
  for (const field of buildpackFields) {
    problems.warn(
      [...path, field],
      'Slipway builds with the Dockerfile at dockerfile_path; put build steps in the Dockerfile. Ignored.',
    );
  }
  return true;
}

function componentSource(data: ComponentInput, path: Path, problems: ProblemList): ComponentSource {
  if (data.image) {
    const image = data.image;
    if (image.registry_type === 'DOCR') {
      problems.warn(
        [...path, 'image', 'registry_type'],
        'images in DigitalOcean Container Registry can only be pulled after `docker login registry.digitalocean.com` on the Docker engine you deploy to.',
      );
    }
    if (image.tag !== undefined && image.digest !== undefined) {
      problems.warn([...path, 'image', 'tag'], 'the digest pins the image, so the tag is ignored; keep one of them.');
    }
    return {
      type: 'image',
      registryType: image.registry_type,
      registry: image.registry ?? null,
      repository: image.repository,
      tag: image.tag ?? 'latest',
      digest: image.digest ?? null,
    };
  }
  if (data.git) return { type: 'git', url: data.git.repo_clone_url, branch: data.git.branch ?? null };
  for (const host of ['github', 'gitlab', 'bitbucket'] as const satisfies readonly RepoHost[]) {
    const hosted = data[host];
    if (hosted) return { type: 'git', url: hostedCloneUrl(host, hosted.repo), branch: hosted.branch ?? null };
  }
  return { type: 'local' };
}

function warnDeployOnPush(raw: RawMap, path: Path, problems: ProblemList): void {
  for (const field of ['github', 'gitlab', 'bitbucket', 'image']) {
    const source = raw[field];
    if (!isMap(source) || !Object.hasOwn(source, 'deploy_on_push')) continue;
    const value = source.deploy_on_push;
    const off =
      isEmpty(value) ||
      (isYamlScalar(value) && value.value === false) ||
      (isMap(value) && isYamlScalar(value.enabled) && value.enabled.value === false);
    if (!off) {
      problems.warn(
        [...path, field, 'deploy_on_push'],
        'Slipway deploys when you ask it to, not on every push; deploy from Slipway after pushing. Ignored.',
      );
    }
  }
}

/** The build context and the Dockerfile, both relative to the source root. */
function buildPaths(
  data: ComponentInput,
  path: Path,
  problems: ProblemList,
): { sourceDir: string; dockerfilePath: string } | null {
  const sourceDir = data.source_dir ?? '';
  if (data.dockerfile_path === '') {
    problems.error([...path, 'dockerfile_path'], 'must name the Dockerfile, not the source root');
    return null;
  }
  return { sourceDir, dockerfilePath: data.dockerfile_path ?? joinSourcePath(sourceDir, 'Dockerfile') };
}

/** Env entries with defaults, checked for duplicates, values DigitalOcean encrypted, and missing values. */
function placeEnvs(envs: readonly EnvInput[], path: Path, problems: ProblemList): PlacedEnv[] {
  const seen = new Map<string, number>();
  return envs.map((env, i) => {
    const first = seen.get(env.key);
    if (first !== undefined) {
      problems.error(
        [...path, i, 'key'],
        `duplicate variable ${env.key}: also set at ${formatPath([...path, first])}; keep one`,
      );
    } else {
      seen.set(env.key, i);
    }
    const type = env.type ?? 'GENERAL';
    let value = env.value ?? '';
    if (env.value === undefined) {
      problems.warn([...path, i, 'value'], `${env.key} has no value, so it is empty; set a value before deploying.`);
    } else if (type === 'SECRET' && DO_ENCRYPTED.test(value)) {
      problems.warn(
        [...path, i, 'value'],
        `${env.key} holds a value encrypted by DigitalOcean (EV[...]), which Slipway cannot decrypt, so it is empty; set the value again.`,
      );
      value = '';
    }
    const scope = env.scope === undefined || env.scope === 'UNSET' ? 'RUN_AND_BUILD_TIME' : env.scope;
    return { key: env.key, value, scope, type, valuePath: [...path, i, 'value'] };
  });
}

function loadEnvs(raw: unknown, path: Path, problems: ProblemList): PlacedEnv[] {
  if (Array.isArray(raw)) reportEnvFields(raw, path, problems);
  const result = envListSchema.safeParse(raw);
  if (!result.success) {
    addIssues(problems, path, result.error);
    return [];
  }
  return placeEnvs(result.data ?? [], path, problems);
}

interface ResolveContext {
  appName: string;
  components: ReadonlyMap<string, BindableComponent>;
  /** Every validly named component, loaded or not: a reference to one that failed is not worth a second warning. */
  allNames: ReadonlySet<string>;
  databases: ReadonlySet<string>;
  /** Warnings already given, so that an app-level env is reported once, not once per component. */
  reported: Set<string>;
}

function resolveEnvs(envs: PlacedEnv[], self: string, context: ResolveContext, problems: ProblemList): EnvVar[] {
  return envs.map(({ valuePath, ...env }) => {
    const { value, unresolved } = resolveBindables(env.value, {
      appName: context.appName,
      self,
      components: context.components,
    });
    for (const reference of unresolved) {
      const message = unresolvedMessage(env.key, reference, self, context);
      const id = `${formatPath(valuePath)}\n${message}`;
      if (message && !context.reported.has(id)) {
        context.reported.add(id);
        problems.warn(valuePath, message);
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
    return `${key}: ${written} refers to ${component}, a DigitalOcean database and not a component Slipway runs; the value is kept as written: set it to your database's real ${name}.`;
  }
  const target = context.components.get(component);
  if (target) {
    if (target.httpPort === null && ['PRIVATE_URL', 'PRIVATE_PORT', 'PUBLIC_URL', 'URL'].includes(name)) {
      return `${key}: ${written}: ${component} is not a service, so it has no port or URL; ${kept}.`;
    }
    return `${key}: Slipway does not provide ${written} (for a component it knows NAME, HOSTNAME, PRIVATE_DOMAIN, PRIVATE_PORT, PRIVATE_URL and PUBLIC_URL); ${kept}.`;
  }
  if (context.allNames.has(component)) return null;
  return `${key}: ${written} refers to ${component}, which is not a component Slipway runs; ${kept}.`;
}

function healthCheck(input: HealthCheckInput | undefined, path: Path, problems: ProblemList): HealthCheck | null {
  // No health_check: the engine asks the image's HEALTHCHECK first, then DigitalOcean's default TCP check.
  if (!input) return null;
  if (input.path !== undefined) {
    problems.warn(
      [...path, 'path'],
      input.http_path !== undefined
        ? 'deprecated, and http_path is set: remove path. Ignored.'
        : 'deprecated: write http_path instead (read as http_path this time).',
    );
  }
  const d = DEFAULT_HEALTH_CHECK;
  return {
    httpPath: input.http_path ?? input.path ?? null,
    port: input.port ?? null,
    initialDelaySeconds: input.initial_delay_seconds ?? d.initialDelaySeconds,
    periodSeconds: input.period_seconds ?? d.periodSeconds,
    timeoutSeconds: input.timeout_seconds ?? d.timeoutSeconds,
    successThreshold: input.success_threshold ?? d.successThreshold,
    failureThreshold: input.failure_threshold ?? d.failureThreshold,
  };
}

function routes(input: NonNullable<ServiceInput['routes']>): Route[] {
  return input.map((route) => ({ path: route.path ?? '/', preservePathPrefix: route.preserve_path_prefix ?? false }));
}

function jobKind(kind: JobInput['kind']): JobKind {
  // DigitalOcean's UNSPECIFIED (and no kind at all) runs the job after each deployment.
  return kind === undefined || kind === 'UNSPECIFIED' ? 'POST_DEPLOY' : kind;
}

function checkDuplicateNames(named: readonly { name: string; path: Path }[], problems: ProblemList): void {
  const seen = new Map<string, Path>();
  for (const { name, path } of named) {
    const first = seen.get(name);
    if (first) {
      problems.error(
        [...path, 'name'],
        `duplicate component name ${name}: also ${formatPath(first)}; names must be unique across services, workers and jobs`,
      );
    } else {
      seen.set(name, path);
    }
  }
}

function checkDuplicateRoutes(loaded: readonly (LoadedComponent & { path: Path })[], problems: ProblemList): void {
  const seen = new Map<string, Path>();
  for (const { spec, path } of loaded) {
    spec?.routes.forEach((route, i) => {
      const first = seen.get(route.path);
      if (first) {
        problems.error(
          [...path, 'routes', i, 'path'],
          `route ${route.path} is already used by ${formatPath(first)}; each path may lead to one service only`,
        );
      } else {
        seen.set(route.path, path);
      }
    });
  }
}

/** zod's issues as problems, under `base`; `rename` maps a field read under another name back to what was written. */
function addIssues(problems: ProblemList, base: Path, error: z.ZodError, rename: Record<string, string> = {}): void {
  for (const issue of error.issues) {
    const segments = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    const [first, ...rest] = segments;
    const renamed = typeof first === 'string' && Object.hasOwn(rename, first) ? rename[first] : first;
    problems.error([...base, ...(renamed === undefined ? [] : [renamed]), ...rest], issue.message);
  }
}

/** A YAML mapping as toJS makes it: a plain object (not a list, a wrapped scalar or a `!!binary` byte array). */
function isMap(value: unknown): value is RawMap {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The component names in a list, for messages: valid names as they are, anything else quoted. */
function namesIn(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((item: unknown) => (isMap(item) && item.name !== undefined ? item.name : undefined))
    .filter((name) => name !== undefined)
    .map((name) => (typeof name === 'string' && NAME_PATTERN.test(name) ? name : quote(String(name))));
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (isYamlScalar(value)) return typeof value.value === 'boolean' ? 'true/false' : `the number ${value.source}`;
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (isMap(value)) return 'a mapping';
  return `a value of type ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`;
}
