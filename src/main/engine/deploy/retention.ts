import type { Deployment } from '../../../shared/deployment';

/** How many successful deployments keep their images, and so can be rolled back to. */
export const RETAINED_DEPLOYMENTS = 10;

/** A deployment that went live (and may since have been replaced). */
export function isSuccessful(d: Deployment): boolean {
  return d.phase === 'ACTIVE' || d.phase === 'SUPERSEDED';
}

/** The ten most recent successful deployments of an app, oldest first: their images are kept. */
export function retainedDeployments(deployments: readonly Deployment[], app: string): Deployment[] {
  return deployments.filter((d) => d.app === app && isSuccessful(d)).slice(-RETAINED_DEPLOYMENTS);
}
