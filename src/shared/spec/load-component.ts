/*
 * The services, workers and jobs of a spec, each loaded on its own: its raw fields checked, then read by its
 * kind's schema, then made into a ComponentSpec. A component with errors is still returned (without a spec), so
 * that its name, port and envs take part in the checks that span the whole spec.
 */
import type { ComponentKind, ComponentSpec } from './app-spec';
import { checkBuild, checkSources, reportComponentFields, warnDeployOnPush } from './component-checks';
import { buildPaths, componentSource, DEFAULT_HTTP_PORT, healthCheck, jobKind, routes } from './component-settings';
import { envsField, placeEnvs, reportEnvFields, type PlacedEnv } from './env-lists';
import { describeValue, isMap, type RawMap } from './raw-values';
import { JOB_ADVICE, SERVICE_ADVICE, WORKER_ADVICE } from './spec-fields';
import { addIssues, type Path, type ProblemList } from './spec-problems';
import {
  fieldsOf,
  jobSchema,
  MAX_COMPONENTS,
  NAME_PATTERN,
  serviceSchema,
  workerSchema,
  type ComponentInput,
  type JobInput,
  type ServiceInput,
} from './spec-schema';

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
  /** How many of services, workers and jobs are set but are not lists. */
  badLists: number;
}

const KINDS = [
  { field: 'services', kind: 'service', schema: serviceSchema, advice: SERVICE_ADVICE },
  { field: 'workers', kind: 'worker', schema: workerSchema, advice: WORKER_ADVICE },
  { field: 'jobs', kind: 'job', schema: jobSchema, advice: JOB_ADVICE },
] as const;

/** Loads every entry of the spec's services, workers and jobs, in that order. */
export function loadComponents(top: RawMap, problems: ProblemList): ComponentLists {
  const lists: ComponentLists = { loaded: [], named: [], declared: 0, badLists: 0 };
  const sizes = KINDS.map(({ field }) => (Array.isArray(top[field]) ? (top[field] as unknown[]).length : 0));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > MAX_COMPONENTS) {
    // Named at the list where the bound is crossed; none is loaded, so the work stays bounded too.
    let counted = 0;
    const over = KINDS.find((_, i) => (counted += sizes[i]!) > MAX_COMPONENTS)!;
    problems.error(
      [over.field],
      `the spec has ${total} services, workers and jobs; Slipway deploys at most ${MAX_COMPONENTS} per app`,
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
      if (typeof raw.name === 'string' && NAME_PATTERN.test(raw.name)) lists.named.push({ name: raw.name, path });
      const component = loadComponent(kind, raw, path, schema, advice, problems);
      if (component) lists.loaded.push({ ...component, path });
    });
  }
  return lists;
}

function loadComponent(
  kind: ComponentKind,
  raw: RawMap,
  path: Path,
  schema: typeof serviceSchema | typeof workerSchema | typeof jobSchema,
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
