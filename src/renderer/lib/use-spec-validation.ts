import { useEffect, useState } from 'react';
import type { SpecLoadResult } from '../../shared/spec/app-spec';
import { useClient } from '../client';
import { describeError } from './errors';

export type Validation =
  | { state: 'idle' }
  | { state: 'checking'; last: SpecLoadResult | null }
  | { state: 'done'; result: SpecLoadResult }
  | { state: 'failed'; message: string };

/** Asks the engine to check a spec as it is typed (after a pause), with every error and warning. */
export function useSpecValidation(specYaml: string, delayMs = 300): Validation {
  const client = useClient();
  const [validation, setValidation] = useState<Validation>({ state: 'idle' });
  useEffect(() => {
    if (!specYaml.trim()) {
      setValidation({ state: 'idle' });
      return;
    }
    let current = true;
    setValidation((v) => ({
      state: 'checking',
      last: v.state === 'done' ? v.result : v.state === 'checking' ? v.last : null,
    }));
    const timer = setTimeout(() => {
      client.apps.validateSpec({ specYaml }).then(
        (result) => current && setValidation({ state: 'done', result }),
        (err: unknown) => current && setValidation({ state: 'failed', message: describeError(err).message }),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, specYaml, delayMs]);
  return validation;
}

/** The latest complete answer, kept while a newer one is on its way. */
export function latestResult(validation: Validation): SpecLoadResult | null {
  return validation.state === 'done' ? validation.result : validation.state === 'checking' ? validation.last : null;
}
