import type { AppSpec, ComponentSpec, EnvVar } from '../../../shared/spec/app-spec';
import { resolveBindables } from '../../../shared/spec/bindable-variables';
import { isSealed, type SecretBox } from '../secrets/secret-box';

export interface DeployTimeUrls {
  appUrl?: string;
  publicUrls: ReadonlyMap<string, string>;
}

/** An env value as the container sees it: secrets opened, deploy-time bindable variables resolved. */
function valueOf(
  env: EnvVar,
  spec: AppSpec,
  component: ComponentSpec,
  secrets: SecretBox,
  urls: DeployTimeUrls,
): string {
  const plain = env.type === 'SECRET' && isSealed(env.value) ? secrets.open(env.value) : env.value;
  const components = new Map(spec.components.map((c) => [c.name, { httpPort: c.httpPort }]));
  return resolveBindables(plain, {
    appName: spec.name,
    self: component.name,
    components,
    ...(urls.appUrl ? { appUrl: urls.appUrl, appDomain: new URL(urls.appUrl).host } : {}),
    publicUrls: urls.publicUrls,
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
  return component.envs.filter(atRunTime).map((env) => `${env.key}=${valueOf(env, spec, component, secrets, urls)}`);
}

/** Build arguments for a component's image build. */
export function buildArgs(
  spec: AppSpec,
  component: ComponentSpec,
  secrets: SecretBox,
  urls: DeployTimeUrls,
): Record<string, string> {
  return Object.fromEntries(
    component.envs.filter(atBuildTime).map((env) => [env.key, valueOf(env, spec, component, secrets, urls)]),
  );
}

/** Names of secrets passed at build time: their values stay visible in the image's history. */
export function secretBuildArgNames(component: ComponentSpec): string[] {
  return component.envs.filter((env) => env.type === 'SECRET' && atBuildTime(env)).map((env) => env.key);
}
