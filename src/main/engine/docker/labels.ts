import { LABELS } from '../../../shared/labels';

/** The labels on everything Slipway creates for one component of one deployment, with its installation's id. */
export function slipwayLabels(
  owner: string,
  app: string,
  component?: string,
  deployment?: string,
): Record<string, string> {
  const labels: Record<string, string> = { [LABELS.managed]: 'true', [LABELS.owner]: owner, [LABELS.app]: app };
  if (component) labels[LABELS.component] = component;
  if (deployment) labels[LABELS.deployment] = deployment;
  return labels;
}

/** A Docker label filter for Slipway's objects, narrowed to an app and deployment when given. */
export function labelFilter(app?: string, deployment?: string): { label: string[] } {
  const label = [`${LABELS.managed}=true`];
  if (app) label.push(`${LABELS.app}=${app}`);
  if (deployment) label.push(`${LABELS.deployment}=${deployment}`);
  return { label };
}

/**
 * Whether an object's labels say this installation made it. One without an
 * owner label predates owners and is taken as this installation's own.
 */
export function isOwnedBy(owner: string, labels: Record<string, string> | undefined): boolean {
  const theirs = labels?.[LABELS.owner];
  return theirs === undefined || theirs === owner;
}

/** `slipway/<app>-<component>:<deployment>`: the tag a deployment's image keeps for rollback. */
export function imageTag(app: string, component: string, deployment: string): string {
  return `slipway/${app}-${component}:${deployment}`;
}

/** The app's own network, where components find each other by name. */
export function networkName(app: string): string {
  return `slipway-${app}`;
}
