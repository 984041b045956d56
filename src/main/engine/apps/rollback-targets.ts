import type { RollbackPreview } from '../../../shared/domains/apps';
import type { Deployment } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import { RETAINED_DEPLOYMENTS, retainedDeployments } from '../deploy/retention';
import type { EngineContext } from '../engine-context';
import { appOrThrow, hostOf } from './app-lookup';
import { previewRollback } from './rollback-preview';

/** The deployments a rollback can go to: the RETAINED_DEPLOYMENTS most recent successful ones, newest first, but the live one. */
export function rollbackTargets(ctx: EngineContext, app: string): Deployment[] {
  appOrThrow(ctx, app);
  const live = ctx.liveDeployment(app);
  return retainedDeployments(ctx.store.state.deployments, app)
    .filter((d) => d.id !== live?.id)
    .reverse();
}

/** The deployment a rollback goes to (the one named, else the newest target), with its images still present. */
export async function rollbackTarget(ctx: EngineContext, app: string, id?: string): Promise<Deployment> {
  const targets = rollbackTargets(ctx, app);
  const target = id ? targets.find((d) => d.id === id) : targets[0];
  if (id && !target && ctx.liveDeployment(app)?.id === id) {
    throw new SlipwayError(
      'ROLLBACK_UNAVAILABLE',
      `deployment: ${id} is the live deployment of ${app}; a rollback goes to an earlier one.`,
      { app, deployment: id },
    );
  }
  if (!target) {
    const known = id && ctx.store.state.deployments.some((d) => d.app === app && d.id === id);
    throw new SlipwayError(
      'ROLLBACK_UNAVAILABLE',
      id
        ? known
          ? `Deployment ${id} cannot be rolled back to: only the ${RETAINED_DEPLOYMENTS} most recent successful deployments keep their images.`
          : `${app} has no deployment ${id}.`
        : `${app} has no earlier successful deployment to roll back to.`,
      { app, deployment: id ?? null },
    );
  }
  const host = await hostOf(ctx, app);
  for (const image of Object.values(target.images)) {
    const present = await host.docker
      .getImage(image.tag)
      .inspect()
      .then(
        () => true,
        () => false,
      );
    if (!present) {
      throw new SlipwayError(
        'ROLLBACK_UNAVAILABLE',
        `Deployment ${target.id} cannot be rolled back to: its image ${image.tag} is no longer on ${host.name}.`,
        { app, deployment: target.id, image: image.tag },
      );
    }
  }
  return target;
}

/** What a rollback would change: the spec diff and a summary (never a secret value). */
export async function rollbackPreview(
  ctx: EngineContext,
  request: { app: string; deployment?: string },
): Promise<RollbackPreview> {
  const target = await rollbackTarget(ctx, request.app, request.deployment);
  return previewRollback(ctx.liveDeployment(request.app) ?? null, target, ctx.secrets);
}
