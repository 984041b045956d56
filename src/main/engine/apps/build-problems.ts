import { statSync } from 'node:fs';
import type { SpecLoadResult } from '../../../shared/spec/app-spec';
import { planSpecComponents } from '../build/plan/plan-spec';

/** A loaded spec with the errors of components that cannot be built from its folder (no Dockerfile, no language Slipway builds). */
export function withBuildProblems(result: SpecLoadResult, sourcePath: string | undefined): SpecLoadResult {
  if (!result.spec || !sourcePath) return result;
  if (!statSync(sourcePath, { throwIfNoEntry: false })?.isDirectory()) {
    return {
      spec: null,
      errors: [...result.errors, { path: 'sourcePath', message: 'is not a folder' }],
      warnings: result.warnings,
    };
  }
  // The versions do not matter here, only whether each component can be built at all.
  const planned = planSpecComponents(result.spec, sourcePath, []);
  if (planned.errors.length === 0) return result;
  return { spec: null, errors: [...result.errors, ...planned.errors], warnings: result.warnings };
}
