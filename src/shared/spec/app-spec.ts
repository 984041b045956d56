import type { DomainSpec } from './domains';
import type { DatabaseSpec } from './database-spec';

/**
 * The app spec as the engine uses it: a validated, normalised form of a
 * DigitalOcean App Platform app spec (the subset Slipway can honour). The
 * user's YAML stays the source of truth; this is what it means.
 */

export type EnvScope = 'RUN_TIME' | 'BUILD_TIME' | 'RUN_AND_BUILD_TIME';
export type EnvType = 'GENERAL' | 'SECRET';

export interface EnvVar {
  key: string;
  /** For SECRET: the plain value only while a spec is being loaded; stored specs hold it encrypted. */
  value: string;
  scope: EnvScope;
  type: EnvType;
}

export type ComponentKind = 'service' | 'worker' | 'job' | 'static_site';
export type JobKind = 'PRE_DEPLOY' | 'POST_DEPLOY' | 'FAILED_DEPLOY';

export type ComponentSource =
  /** The folder that holds the spec: the offline local deploy. */
  | { type: 'local' }
  /** A git repository: `git.repo_clone_url`, or `github`/`gitlab` `repo` made into an https URL. */
  | { type: 'git'; url: string; branch: string | null }
  /** A prebuilt image; nothing is built. */
  | {
      type: 'image';
      registryType: string;
      registry: string | null;
      repository: string;
      tag: string;
      digest: string | null;
    };

export interface HealthCheck {
  /** null: a TCP check of the port instead of HTTP. */
  httpPath: string | null;
  /** null: the component's http_port. */
  port: number | null;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

export interface Route {
  path: string;
  preservePathPrefix: boolean;
}

/** One path prefix of the app's URL and the component that serves it. */
export interface PathRoute {
  /** Starts with '/', no trailing slash except the root '/'. */
  prefix: string;
  component: string;
  /** false (DigitalOcean's default): the prefix is cut off before the request reaches the component. */
  preservePathPrefix: boolean;
}

export interface ComponentSpec {
  kind: ComponentKind;
  name: string;
  source: ComponentSource;
  /** Build context inside the source, relative and normalised, '' for the root. */
  sourceDir: string;
  /** Dockerfile path relative to the source's root, normalised; 'Dockerfile' inside sourceDir by default. */
  dockerfilePath: string;
  /** Whether the spec names dockerfile_path; when not, and the source has no Dockerfile, the engine generates one. */
  dockerfileGiven: boolean;
  /** `environment_slug`: the buildpack language DigitalOcean would use (node-js, python, go, html, ...). */
  environmentSlug: string | null;
  /** `build_command`: run in the generated build (ignored with a user's own Dockerfile). */
  buildCommand: string | null;
  runCommand: string | null;
  /** Component envs merged over app-level envs (component wins), bindable variables resolved. */
  envs: EnvVar[];
  /** 0: kept in the spec but not started. */
  instanceCount: number;
  /** Services and static sites (8080, their generated server's port): the port the app listens on (DigitalOcean's default 8080). Workers and jobs: null. */
  httpPort: number | null;
  internalPorts: number[];
  /** The spec's health_check, its missing fields at DigitalOcean's defaults; null when the spec has none. */
  healthCheck: HealthCheck | null;
  routes: Route[];
  /** Jobs only. */
  jobKind: JobKind | null;
  /** Static sites only: how their built files are served. */
  staticSite: StaticSiteSettings | null;
}

export interface StaticSiteSettings {
  /** `output_dir` inside sourceDir; null: DigitalOcean's default list of output folders is searched. */
  outputDir: string | null;
  indexDocument: string;
  /** Served with 404 for a missing file. */
  errorDocument: string | null;
  /** Served with 200 for every path without a file (single-page apps). */
  catchallDocument: string | null;
}

export interface AppSpec {
  name: string;
  /** In spec order: services, then static sites, then workers, then jobs. */
  components: ComponentSpec[];
  /** The app's own databases, each a container with its data on a volume. */
  databases: DatabaseSpec[];
  /** Host names a server's Slipway edge routes to the app (`domains:`); absent when there are none. */
  domains?: DomainSpec[];
  /** `ingress.rules` that lead to a component, in spec order; absent when the spec has no ingress. */
  ingress?: PathRoute[];
}

/** One error or warning about a spec, naming the field: `services[1].http_port`. */
export interface SpecProblem {
  path: string;
  message: string;
}

export interface SpecLoadResult {
  /** null when there is any error. */
  spec: AppSpec | null;
  errors: SpecProblem[];
  warnings: SpecProblem[];
}
