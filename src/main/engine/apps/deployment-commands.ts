import type { Deployment } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import { newDeploymentId } from '../deploy/deployment-id';
import { initialSteps, restartSteps } from '../deploy/step-tree';
import type { AppRecord } from '../store/state-store';
import { appOrThrow, storedSpecOrThrow } from './app-lookup';
import type { AppsScope } from './apps-scope';
import { rollbackTarget } from './rollback-targets';
import { followSpecFile } from './follow-spec-file';
import { pinChange, refuseWhilePinned } from './pin-guard';
import { deployTitle } from '../../../shared/deployment-title';

/** Stores a new deployment PENDING_BUILD, tells the subscribers, and puts it in its app's queue. */
async function enqueue(
  scope: AppsScope,
  record: AppRecord,
  parts: Pick<Deployment, 'cause' | 'plan' | 'specYaml' | 'progress' | 'options' | 'title' | 'description'>,
): Promise<Deployment> {
  const now = new Date().toISOString();
  const deployment: Deployment = {
    id: newDeploymentId(),
    app: record.name,
    // Restart and rollback are titled by their generated cause.
    title: parts.cause,
    ...parts,
    phase: 'PENDING_BUILD',
    sourceRevision: null,
    images: {},
    containers: {},
    endpoints: [],
    createdAt: now,
    updatedAt: now,
  };
  await scope.ctx.store.update((state) => state.deployments.push(deployment));
  scope.emit({ type: 'deployment', deployment });
  scope.queue.enqueue(record.name, deployment.id);
  return deployment;
}

/** Queues a build of the app's spec: from the latest source, or the live deployment's revision again. */
export async function deploy(
  scope: AppsScope,
  request: {
    app: string;
    source: 'latest' | 'same-revision';
    forceRebuild: boolean;
    clearCache: boolean;
    title?: string;
    description?: string;
  },
): Promise<Deployment> {
  const { ctx } = scope;
  const record = appOrThrow(ctx, request.app);
  refuseWhilePinned(record);
  await followSpecFile(scope, record, request);
  const spec = storedSpecOrThrow(record.specYaml, record.name);
  const live = ctx.liveDeployment(record.name);
  if (request.source === 'same-revision' && !live) {
    throw new SlipwayError('NOTHING_RUNNING', `${record.name} has no live deployment to redeploy.`);
  }
  // The revision is fixed now, so a redeploy that waits in the queue still builds what was live when asked.
  const revision = request.source === 'same-revision' ? (live?.sourceRevision ?? null) : null;
  return enqueue(scope, record, {
    cause: request.forceRebuild ? 'force rebuild' : request.source === 'same-revision' ? 'redeploy' : 'manual',
    title: deployTitle(
      request.title,
      request.forceRebuild || request.source === 'same-revision' ? 'rebuild' : 'deploy',
    ),
    ...(request.description?.trim() ? { description: request.description } : {}),
    plan: { type: 'build', revision },
    specYaml: record.specYaml,
    progress: initialSteps(spec),
    options: { forceRebuild: request.forceRebuild, clearCache: request.clearCache },
  });
}

/** Queues a rolling restart of the named components (all services and workers when none are named). */
export async function restart(scope: AppsScope, request: { app: string; components?: string[] }): Promise<Deployment> {
  const { ctx } = scope;
  const record = appOrThrow(ctx, request.app);
  const live = ctx.liveDeployment(record.name);
  if (!live) throw new SlipwayError('NOTHING_RUNNING', `${record.name} has nothing live to restart.`);
  const spec = storedSpecOrThrow(live.specYaml, record.name);
  const restartable = spec.components.filter((c) => c.kind !== 'job').map((c) => c.name);
  const components = request.components?.length ? request.components : restartable;
  const unknown = components.filter((c) => !restartable.includes(c));
  if (unknown.length > 0) {
    throw new SlipwayError(
      'INVALID_REQUEST',
      `components: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a running service or worker of ${record.name} (jobs are not restarted).`,
      { issues: [{ path: 'components', message: `unknown: ${unknown.join(', ')}` }] },
    );
  }
  return enqueue(scope, record, {
    cause: 'restart',
    plan: { type: 'restart', components, base: live.id },
    specYaml: live.specYaml,
    progress: restartSteps(spec, components),
    options: { forceRebuild: false, clearCache: false },
  });
}

/**
 * Queues a rollback: the target's images and spec, deployed again without building; pinned at
 * go-live unless `skipPin`. `revertOf` names the pinned rollback this one reverts (it unpins).
 */
export async function rollback(
  scope: AppsScope,
  request: { app: string; deployment?: string; skipPin?: boolean },
  revertOf?: string,
): Promise<Deployment> {
  const record = appOrThrow(scope.ctx, request.app);
  const target = await rollbackTarget(scope.ctx, record.name, request.deployment);
  const spec = storedSpecOrThrow(target.specYaml, record.name);
  return enqueue(scope, record, {
    cause: revertOf ? `revert of rollback ${revertOf}` : `rollback to ${target.id}`,
    plan: { type: 'rollback', target: target.id, ...pinChange(request.skipPin === true, revertOf) },
    specYaml: target.specYaml,
    progress: initialSteps(spec),
    options: { forceRebuild: false, clearCache: false },
  });
}
