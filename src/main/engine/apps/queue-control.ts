import type { Deployment } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import { DeploymentStop } from '../deploy/deploy-queue';
import { closeOpenSteps } from '../deploy/step-tree';
import { appOrThrow, getDeployment } from './app-lookup';
import type { AppsScope } from './apps-scope';

/** Stops the app's deployment in flight and waits until it has ended. */
async function stopRunning(scope: AppsScope, app: string, stop: DeploymentStop): Promise<Deployment> {
  appOrThrow(scope.ctx, app);
  const id = scope.queue.stopRunning(app, stop);
  if (!id) throw new SlipwayError('NOTHING_RUNNING', `${app} has no deployment in flight.`);
  await scope.queue.settled(app, id);
  return getDeployment(scope.ctx, app, id);
}

/** Cancels the deployment in flight; the live version keeps serving. */
export async function cancel(scope: AppsScope, request: { app: string; by: string }): Promise<Deployment> {
  return stopRunning(scope, request.app, new DeploymentStop('cancel', request.by));
}

/** Kills the app's running build (only its own build step), ending the deployment ERROR. */
export async function killBuild(scope: AppsScope, request: { app: string; by: string }): Promise<Deployment> {
  const running = scope.queue.running(request.app);
  const deployment = running ? getDeployment(scope.ctx, request.app, running) : null;
  if (!deployment || (deployment.phase !== 'BUILDING' && deployment.phase !== 'PENDING_BUILD')) {
    throw new SlipwayError('NOTHING_RUNNING', `${request.app} has no build running.`);
  }
  return stopRunning(scope, request.app, new DeploymentStop('kill', request.by));
}

/** The deployment in flight and the ones waiting, in order. */
export function queueOf(scope: AppsScope, app: string): { running: Deployment | null; waiting: Deployment[] } {
  appOrThrow(scope.ctx, app);
  const running = scope.queue.running(app);
  return {
    running: running ? getDeployment(scope.ctx, app, running) : null,
    waiting: scope.queue.waiting(app).map((id) => getDeployment(scope.ctx, app, id)),
  };
}

/** Drops the waiting deployments (never the running one); they end DROPPED: never run, so no duration and no error. */
export async function cleanQueue(
  scope: AppsScope,
  request: { app: string; by: string },
): Promise<{ dropped: string[] }> {
  appOrThrow(scope.ctx, request.app);
  const dropped = scope.queue.clearWaiting(request.app);
  const now = new Date().toISOString();
  for (const id of dropped) {
    await scope.ctx.saveDeployment(getDeployment(scope.ctx, request.app, id), (d) => {
      d.phase = 'DROPPED';
      // No finishedAt: it never ran, and a duration from queued to dropped would read as a run's.
      d.dropped = { at: now, by: request.by };
      closeOpenSteps(d.progress, 'SKIPPED', `dropped from the queue by ${request.by}`);
    });
  }
  return { dropped };
}
