import type { EnvScope, EnvVar } from './app-spec';

const PHASES: Record<EnvScope, { build: boolean; run: boolean }> = {
  BUILD_TIME: { build: true, run: false },
  RUN_TIME: { build: false, run: true },
  RUN_AND_BUILD_TIME: { build: true, run: true },
};

/**
 * App-level envs with a component's own envs over them, phase by phase: a component's RUN_TIME `FOO` hides the
 * app-level `FOO` at run time only, so an app-level RUN_AND_BUILD_TIME `FOO` still applies to the build. Within a
 * phase, keys are unique; across phases one key may appear twice (once BUILD_TIME, once RUN_TIME).
 */
export function mergeEnvs<T extends EnvVar>(appEnvs: readonly T[], ownEnvs: readonly T[]): T[] {
  const merged: T[] = [];
  for (const appEnv of appEnvs) {
    let { build, run } = PHASES[appEnv.scope];
    for (const own of ownEnvs) {
      if (own.key !== appEnv.key) continue;
      if (PHASES[own.scope].build) build = false;
      if (PHASES[own.scope].run) run = false;
    }
    const scope = scopeOf(build, run);
    if (scope) merged.push(scope === appEnv.scope ? appEnv : { ...appEnv, scope });
  }
  merged.push(...ownEnvs);
  return merged;
}

function scopeOf(build: boolean, run: boolean): EnvScope | null {
  if (build && run) return 'RUN_AND_BUILD_TIME';
  if (build) return 'BUILD_TIME';
  if (run) return 'RUN_TIME';
  return null;
}
