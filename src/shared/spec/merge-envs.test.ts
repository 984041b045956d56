import { describe, expect, it } from 'vitest';
import type { EnvScope, EnvVar } from './app-spec';
import { mergeEnvs } from './merge-envs';

const env = (key: string, value: string, scope: EnvScope = 'RUN_AND_BUILD_TIME'): EnvVar => ({
  key,
  value,
  scope,
  type: 'GENERAL',
});

describe('mergeEnvs', () => {
  it('gives every component the app-level envs', () => {
    expect(mergeEnvs([env('A', '1')], [env('B', '2')])).toEqual([env('A', '1'), env('B', '2')]);
  });

  it('lets the component win for the same key and scope', () => {
    expect(mergeEnvs([env('A', 'app')], [env('A', 'own')])).toEqual([env('A', 'own')]);
  });

  it('overrides phase by phase, keeping the app-level value where the component is silent', () => {
    expect(mergeEnvs([env('A', 'app')], [env('A', 'own', 'RUN_TIME')])).toEqual([
      env('A', 'app', 'BUILD_TIME'),
      env('A', 'own', 'RUN_TIME'),
    ]);
    expect(mergeEnvs([env('A', 'app', 'BUILD_TIME')], [env('A', 'own', 'RUN_TIME')])).toEqual([
      env('A', 'app', 'BUILD_TIME'),
      env('A', 'own', 'RUN_TIME'),
    ]);
    expect(mergeEnvs([env('A', 'app', 'RUN_TIME')], [env('A', 'own', 'RUN_AND_BUILD_TIME')])).toEqual([
      env('A', 'own'),
    ]);
  });
});
