import { useMemo } from 'react';
import type { Deployment } from '../../../shared/deployment';
import { isFinished, sortedDeployments } from '../../stores/apps-store';
import { useApps } from '../../stores/context';

/** An app's deployments, newest first, as the store knows them (history plus live events). */
export function useDeployments(app: string): Deployment[] {
  const byId = useApps((s) => s.deployments[app]);
  return useMemo(() => sortedDeployments(byId), [byId]);
}

/** The deployment running and the ones waiting, oldest first: the engine runs them in that order. */
export function queueOf(deployments: Deployment[]): { running: Deployment | null; waiting: Deployment[] } {
  const unfinished = deployments.filter((d) => !isFinished(d.phase)).reverse();
  return { running: unfinished[0] ?? null, waiting: unfinished.slice(1) };
}
