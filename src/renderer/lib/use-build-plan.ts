import { useEffect, useState } from 'react';
import type { SpecPlanResult } from '../../shared/build-plan';
import { useClient, type SlipwayClient } from '../client';
import { describeError, type ShownError } from './errors';

/** What `apps.planSpec` is asked about: a spec file (or its folder), or spec text and its source folder. */
export type PlanSource = Parameters<SlipwayClient['apps']['planSpec']>[0];

export type PlanState =
  | { state: 'idle' }
  | { state: 'planning'; last: SpecPlanResult | null }
  | { state: 'done'; result: SpecPlanResult }
  | { state: 'failed'; error: ShownError };

/**
 * Asks the engine how a spec's components will be built, after a pause once
 * the source stops changing (a path being typed); an answer for an older
 * source is dropped. `null`: nothing to plan yet.
 */
export function useBuildPlan(source: PlanSource | null, delayMs = 300): PlanState {
  const client = useClient();
  const [plan, setPlan] = useState<PlanState>({ state: 'idle' });
  // The request by value: a new object with the same fields is the same question.
  const key = source ? JSON.stringify(source) : '';
  useEffect(() => {
    if (!key) {
      setPlan({ state: 'idle' });
      return;
    }
    let current = true;
    setPlan((p) => ({
      state: 'planning',
      last: p.state === 'done' ? p.result : p.state === 'planning' ? p.last : null,
    }));
    const timer = setTimeout(() => {
      client.apps.planSpec(JSON.parse(key) as PlanSource).then(
        (result) => current && setPlan({ state: 'done', result }),
        (err: unknown) => current && setPlan({ state: 'failed', error: describeError(err) }),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, key, delayMs]);
  return plan;
}
