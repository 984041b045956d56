import type { AppSpec, ComponentSpec, EnvVar } from '../../../shared/spec/app-spec';
import { resolveBindables } from '../../../shared/spec/bindable-variables';
import { isSealed, type SecretBox } from '../secrets/secret-box';

export interface DeployTimeUrls {
  appUrl?: string;
  publicUrls: ReadonlyMap<string, string>;
  /** Each database's bindable variables, password included: for the containers' environment only, never a build. */
  databases?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** An env value as the container sees it: secrets opened, deploy-time bindable variables resolved. */
function valueOf(
  env: EnvVar,
  spec: AppSpec,
  component: ComponentSpec,
  secrets: SecretBox,
  urls: DeployTimeUrls,
  databases?: DeployTimeUrls['databases'],
): string {
  const plain = env.type === 'SECRET' && isSealed(env.value) ? secrets.open(env.value) : env.value;
  const components = new Map(spec.components.map((c) => [c.name, { httpPort: c.httpPort }]));
  return resolveBindables(plain, {
    appName: spec.name,
    self: component.name,
    components,
    ...(urls.appUrl ? { appUrl: urls.appUrl, appDomain: new URL(urls.appUrl).host } : {}),
    publicUrls: urls.publicUrls,
    // A build sees `${db.X}` as written, as on DigitalOcean: databases are bound at run time only.
    databases: new Map(spec.databases.map((db) => [db.name, databases?.get(db.name) ?? null])),
  }).value;
}

const atRunTime = (env: EnvVar) => env.scope === 'RUN_TIME' || env.scope === 'RUN_AND_BUILD_TIME';
const atBuildTime = (env: EnvVar) => env.scope === 'BUILD_TIME' || env.scope === 'RUN_AND_BUILD_TIME';

/** `KEY=value` lines for a component's containers. */
export function runtimeEnv(
  spec: AppSpec,
  component: ComponentSpec,
  secrets: SecretBox,
  urls: DeployTimeUrls,
): string[] {
  return component.envs
    .filter(atRunTime)
    .map((env) => `${env.key}=${valueOf(env, spec, component, secrets, urls, urls.databases)}`);
}

/**
 * Proxy settings the builder takes without an ARG (and never warns about):
 * Docker's predefined build arguments.
 */
const PREDEFINED_BUILD_ARGS = new Set(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((k) => [k, k.toLowerCase()]),
);

/** Whether the build consumes an env as a build argument: the Dockerfile declares it, or Docker predefines it. */
const consumedBy = (declared: ReadonlySet<string>) => (env: EnvVar) =>
  atBuildTime(env) && (declared.has(env.key) || PREDEFINED_BUILD_ARGS.has(env.key));

/**
 * Build arguments for a component's image build: its build-time envs that
 * the Dockerfile declares with ARG (`declared`), and Docker's predefined
 * proxy settings. Any other would only make the builder warn that it was not
 * consumed, and a secret would be sent for nothing.
 */
export function buildArgs(
  spec: AppSpec,
  component: ComponentSpec,
  secrets: SecretBox,
  urls: DeployTimeUrls,
  declared: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(
    component.envs.filter(consumedBy(declared)).map((env) => [env.key, valueOf(env, spec, component, secrets, urls)]),
  );
}

/** Names of the secrets the build is given (declared ARGs): their values stay visible in the image's history. */
export function secretBuildArgNames(component: ComponentSpec, declared: ReadonlySet<string>): string[] {
  return component.envs.filter((env) => env.type === 'SECRET' && consumedBy(declared)(env)).map((env) => env.key);
}
