import { useEffect, useState, type DependencyList } from 'react';
import { describeError, type ShownError } from './errors';

/**
 * The answer of an engine request, asked when the view opens and again when
 * `deps` change; an answer that comes back for older deps is dropped, and the
 * last answer stays shown until the next one arrives.
 */
export function useRequest<T>(
  request: () => Promise<T>,
  deps: DependencyList,
): { data: T | null; error: ShownError | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  useEffect(() => {
    let current = true;
    request().then(
      (answer) => current && setData(answer),
      (err: unknown) => current && setError(describeError(err)),
    );
    return () => {
      current = false;
    };
    // The caller names what the request depends on, as for useEffect.
  }, deps);
  return { data, error };
}
