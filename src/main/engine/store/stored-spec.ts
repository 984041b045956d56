import type { SpecLoadResult } from '../../../shared/spec/app-spec';
import { loadAppSpec } from '../../../shared/spec/load-spec';

const MAX_ENTRIES = 64;
const cache = new Map<string, SpecLoadResult>();

/**
 * Loads a spec Slipway stored (an app's or a deployment's), remembering the
 * result: status updates during a deployment read the same spec many times.
 * The result is shared: never change it.
 */
export function loadStoredSpec(yaml: string): Readonly<SpecLoadResult> {
  let result = cache.get(yaml);
  if (!result) {
    result = loadAppSpec(yaml);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(yaml, result);
  }
  return result;
}
