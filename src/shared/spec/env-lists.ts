/*
 * Lists of env vars, at the top of the spec and on each component: which field holds them, their unknown fields,
 * and each entry with its defaults. Bindable variables in the values are resolved later, by resolve-envs.ts.
 */
import type { EnvVar } from './app-spec';
import { isMap, type RawMap } from './raw-values';
import { reportFields } from './spec-fields';
import { addIssues, formatPath, type Path, type ProblemList } from './spec-problems';
import { envListSchema, envSchema, fieldsOf, type EnvInput } from './spec-schema';

/** An env var and where its value was written, for warnings about it. */
export type PlacedEnv = EnvVar & { valuePath: Path };

// DigitalOcean encrypts SECRET values on first submission; a spec exported from it holds them like this.
const DO_ENCRYPTED = /^EV\[[\s\S]*\]$/;

/** Which field holds a list of envs: `envs`, or the `env` people sometimes write for it. */
export function envsField(raw: RawMap, path: Path, problems: ProblemList): 'envs' | 'env' | null {
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

/** Warns about unknown fields in each env entry that is a mapping. */
export function reportEnvFields(list: unknown[], path: Path, problems: ProblemList): void {
  list.forEach((env: unknown, i) => {
    if (isMap(env)) reportFields(env, [...path, i], fieldsOf(envSchema), {}, problems);
  });
}

/** Env entries with defaults, checked for duplicates, values DigitalOcean encrypted, and missing values. */
export function placeEnvs(envs: readonly EnvInput[], path: Path, problems: ProblemList): PlacedEnv[] {
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

/** An env list not read by a component's schema (the app's own): checked on its own, empty when it is wrong. */
export function loadEnvs(raw: unknown, path: Path, problems: ProblemList): PlacedEnv[] {
  if (Array.isArray(raw)) reportEnvFields(raw, path, problems);
  const result = envListSchema.safeParse(raw);
  if (!result.success) {
    addIssues(problems, path, result.error);
    return [];
  }
  return placeEnvs(result.data ?? [], path, problems);
}
