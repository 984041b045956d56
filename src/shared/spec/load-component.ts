/*
 * The services, static sites, workers and jobs of a spec, each loaded on its own: its raw fields checked, then read by its
 * kind's schema, then made into a ComponentSpec. A component with errors is still returned (without a spec), so
 * that its name, port and envs take part in the checks that span the whole spec.
 */
import type { ComponentKind, ComponentSpec } from './app-spec';
import { checkBuild, checkSources, reportComponentFields, warnDeployOnPush } from './component-checks';
import { buildPaths, componentSource, DEFAULT_HTTP_PORT, healthCheck, jobKind, routes } from './component-settings';
import { envsField, placeEnvs, reportEnvFields, type PlacedEnv } from './env-lists';
import { inferRegistryType } from './image-registry';
import { describeValue, isMap, type RawMap } from './raw-values';
import { JOB_ADVICE, SERVICE_ADVICE, STATIC_SITE_ADVICE, WORKER_ADVICE } from './spec-fields';
import { addIssues, type Path, type ProblemList } from './spec-problems';
import {
  fieldsOf,
  jobSchema,
  MAX_COMPONENTS,
  NAME_PATTERN,
  serviceSchema,
  staticSiteSchema,
  workerSchema,
  type ComponentInput,
  type JobInput,
  type ServiceInput,
  type StaticSiteInput,
} from './spec-schema';
import { STATIC_SITE_HEALTH_CHECK, staticSiteSettings } from './static-site';
import { forgiveName } from './usable-name';

/** A component whose fields have the right shapes; spec is null when it has other errors. */
export interface LoadedComponent {
  spec: ComponentSpec | null;
  name: string;
  httpPort: number | null;
  envs: PlacedEnv[];
}

/** A loaded component and where it is in the spec. */
export type PlacedComponent = LoadedComponent & { path: Path };

/** The components of a spec, and what the checks across them need. */
export interface ComponentLists {
  loaded: PlacedComponent[];
  /** Every component with a valid name, loaded or not, in the order written. */
  named: { name: string; path: Path }[];
  /** How many entries the lists hold, mappings or not. */
  declared: number;
  /** How many of services, static sites, workers and jobs are set but are not lists. */
  badLists: number;
  /** Components given a usable name in place of the one written: written → used, for references in envs. */
  renamed: Map<string, string>;
}

type ComponentSchema = typeof serviceSchema | typeof workerSchema | typeof jobSchema | typeof staticSiteSchema;

const KINDS = [
  { field: 'services', kind: 'service', schema: serviceSchema, advice: SERVICE_ADVICE },
  { field: 'static_sites', kind: 'static_site', schema: staticSiteSchema, advice: STATIC_SITE_ADVICE },
  { field: 'workers', kind: 'worker', schema: workerSchema, advice: WORKER_ADVICE },
  { field: 'jobs', kind: 'job', schema: jobSchema, advice: JOB_ADVICE },
] as const;

/** Loads every entry of the spec's services, static sites, workers and jobs, in that order. */
export function loadComponents(top: RawMap, problems: ProblemList): ComponentLists {
  const lists: ComponentLists = { loaded: [], named: [], declared: 0, badLists: 0, renamed: new Map() };
  const sizes = KINDS.map(({ field }) => (Array.isArray(top[field]) ? (top[field] as unknown[]).length : 0));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > MAX_COMPONENTS) {
    // Named at the list where the bound is crossed; none is loaded, so the work stays bounded too.
    let counted = 0;
    const over = KINDS.find((_, i) => (counted += sizes[i]!) > MAX_COMPONENTS)!;
    problems.error(
      [over.field],
      `the spec has ${total} components (services, static sites, workers and jobs); Slipway deploys at most ${MAX_COMPONENTS} per app`,
    );
    return { ...lists, declared: total };
  }
  for (const { field, kind, schema, advice } of KINDS) {
    const list = top[field];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      lists.badLists++;
      problems.error(
        [field],
        isMap(list)
          ? `must be a list of components, each starting with \`- name:\`, not a mapping`
          : `must be a list of components, not ${describeValue(list)}`,
      );
      continue;
    }
    list.forEach((raw: unknown, index) => {
      lists.declared++;
      const path: Path = [field, index];
      if (!isMap(raw)) {
        problems.error(
          path,
          `must be a mapping of the component's fields (name, source, ...), not ${describeValue(raw)}`,
        );
        return;
      }
      const name = forgiveName(raw.name, [...path, 'name'], problems);
      if (typeof name === 'string' && NAME_PATTERN.test(name)) {
        lists.named.push({ name, path });
        if (name !== raw.name && typeof raw.name === 'string') lists.renamed.set(raw.name, name);
      }
      const component = loadComponent(kind, { ...raw, name }, path, schema, advice, problems);
      if (component) lists.loaded.push({ ...component, path });
    });
  }
  return lists;
}

function loadComponent(
  kind: ComponentKind,
  raw: RawMap,
  path: Path,
  schema: ComponentSchema,
  advice: Readonly<Record<string, string>>,
  problems: ProblemList,
): LoadedComponent | null {
  reportComponentFields(raw, path, kind, fieldsOf(schema), advice, problems);
  const envField = envsField(raw, path, problems);
  const envList = envField ? raw[envField] : undefined;
  if (envField && Array.isArray(envList)) reportEnvFields(envList, [...path, envField], problems);

  warnDeployOnPush(raw, path, problems);
  // Checked on the raw fields, so that they are reported even when a field has the wrong shape.
  const sourcesOk = checkSources(raw, path, problems);
  const buildOk = checkBuild(raw, path, problems);

  const input: RawMap = envField === 'env' ? { ...raw, envs: raw.env } : { ...raw };
  if (kind !== 'static_site' && input.image !== undefined) {
    input.image = inferRegistryType(input.image, [...path, 'image'], problems);
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    addIssues(problems, path, result.error, envField === 'env' ? { envs: 'env' } : {});
    return null;
  }
  if (kind === 'static_site') {
    return loadStaticSite(result.data as StaticSiteInput, path, envField, sourcesOk, problems);
  }
  const data = result.data as ComponentInput;
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
  if (data.instance_count === 0) {
    problems.warn(
      [...path, 'instance_count'],
      `0: ${data.name} stays in the spec but Slipway does not start it${kind === 'job' ? ' (the job never runs)' : ''}; set 1 or more to run it.`,
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
    dockerfileGiven: source.type !== 'image' && data.dockerfile_path !== undefined,
    environmentSlug: source.type === 'image' ? null : nonBlank(data.environment_slug),
    buildCommand: source.type === 'image' ? null : nonBlank(data.build_command),
    runCommand: nonBlank(data.run_command),
    envs: [],
    instanceCount: data.instance_count ?? 1,
    httpPort,
    internalPorts: [...new Set(internal)],
    healthCheck: service ? healthCheck(service.health_check, [...path, 'health_check'], problems) : null,
    routes: service ? routes(service.routes ?? []) : [],
    jobKind: kind === 'job' ? jobKind((data as JobInput).kind) : null,
    staticSite: null,
  };
  return { spec, name: data.name, httpPort, envs };
}

/** A static site: served like a service (port, routes, health check at `/`), one instance, no command of its own. */
function loadStaticSite(
  data: StaticSiteInput,
  path: Path,
  envField: string | null,
  sourcesOk: boolean,
  problems: ProblemList,
): LoadedComponent {
  const errorsBefore = problems.errors.length;
  // The schema keeps fields it does not read (warned as ignored): a static site's `image` must not become its source.
  const source = componentSource({ ...data, image: undefined }, path, problems);
  const build = buildPaths(data, path, problems);
  const envs = placeEnvs(data.envs ?? [], [...path, envField ?? 'envs'], problems);
  for (const env of envs.filter((e) => e.scope === 'RUN_TIME')) {
    // As on DigitalOcean: a site is its built files, served as they are; nothing of it runs to read a variable.
    problems.warn(
      env.valuePath.slice(0, -1),
      `${env.key} is RUN_TIME, but a static site only has a build: nothing reads it once built. Use BUILD_TIME for build_command. Ignored.`,
    );
  }
  const settings = staticSiteSettings(data, path, problems);
  const httpPort = DEFAULT_HTTP_PORT;
  if (problems.errors.length > errorsBefore || !sourcesOk || !build || !settings) {
    return { spec: null, name: data.name, httpPort, envs };
  }
  const spec: ComponentSpec = {
    kind: 'static_site',
    name: data.name,
    source,
    sourceDir: build.sourceDir,
    dockerfilePath: build.dockerfilePath,
    dockerfileGiven: data.dockerfile_path !== undefined,
    environmentSlug: nonBlank(data.environment_slug),
    buildCommand: nonBlank(data.build_command),
    runCommand: null,
    envs: [],
    instanceCount: 1,
    httpPort,
    internalPorts: [],
    healthCheck: STATIC_SITE_HEALTH_CHECK,
    routes: routes(data.routes ?? []),
    jobKind: null,
    staticSite: settings,
  };
  return { spec, name: data.name, httpPort, envs };
}

function nonBlank(value: string | undefined): string | null {
  return value !== undefined && value.trim() !== '' ? value : null;
}
