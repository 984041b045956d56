import type { Deployment } from '../../../shared/deployment';

/** How many successful deployments keep their images, and so can be rolled back to. */
export const RETAINED_DEPLOYMENTS = 10;

/** A deployment that went live (and may since have been replaced). */
export function isSuccessful(d: Deployment): boolean {
  return d.phase === 'ACTIVE' || d.phase === 'SUPERSEDED';
}

/** The RETAINED_DEPLOYMENTS most recent successful deployments of an app, oldest first: their images are kept. */
export function retainedDeployments(deployments: readonly Deployment[], app: string): Deployment[] {
  return deployments.filter((d) => d.app === app && isSuccessful(d)).slice(-RETAINED_DEPLOYMENTS);
}

/** The image tags of an app's successful deployments beyond the retained ones: what to untag. */
export function tagsBeyondRetention(deployments: readonly Deployment[], app: string): string[] {
  const keep = new Set(retainedDeployments(deployments, app).flatMap((d) => Object.values(d.images).map((i) => i.tag)));
  const old = deployments.filter((d) => d.app === app && isSuccessful(d));
  return [...new Set(old.flatMap((d) => Object.values(d.images).map((i) => i.tag)))].filter((tag) => !keep.has(tag));
}

/** The image tags a deployment created. */
export function tagsOf(deployment: Deployment): string[] {
  return Object.values(deployment.images).map((image) => image.tag);
}
