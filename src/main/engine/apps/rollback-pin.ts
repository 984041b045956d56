import type { AppDetail } from '../../../shared/domains/apps';
import type { Deployment } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import type { AppRecord } from '../store/state-store';
import { appOrThrow } from './app-lookup';
import type { AppsScope } from './apps-scope';
import { appDetail } from './app-views';
import { rollback } from './deployment-commands';
import { withSpecFileStatus } from './spec-file-status';

/** The app's pin, or INVALID_REQUEST naming the app as not pinned. */
function pinOrThrow(record: AppRecord): NonNullable<AppRecord['pin']> {
  if (!record.pin) {
    throw new SlipwayError('INVALID_REQUEST', `app: ${record.name} is not pinned to a rollback.`, {
      issues: [{ path: 'app', message: 'not pinned to a rollback' }],
    });
  }
  return record.pin;
}

/**
 * Keeps the rolled-back version and unpins. A stored spec becomes the spec that is live (the rolled-back
 * one, so the next deploy runs it); a spec file stays the app's spec, read again at the next deploy.
 */
export async function commitRollback(scope: AppsScope, app: string): Promise<AppDetail> {
  const { ctx } = scope;
  const record = appOrThrow(ctx, app);
  pinOrThrow(record);
  const live = ctx.liveDeployment(record.name);
  await ctx.store.update(() => {
    if (!record.specFile && live) record.specYaml = live.specYaml;
    delete record.pin;
    record.updatedAt = new Date().toISOString();
  });
  scope.emit({ type: 'app', app: scope.summary(record) });
  return withSpecFileStatus(ctx, appDetail(scope.summary(record), record));
}

/** Queues a rollback to what was live before the pinned rollback (its images, no build), which unpins once live. */
export async function revertRollback(scope: AppsScope, app: string): Promise<Deployment> {
  const record = appOrThrow(scope.ctx, app);
  const pin = pinOrThrow(record);
  if (!pin.previous) {
    throw new SlipwayError(
      'ROLLBACK_UNAVAILABLE',
      `app: nothing was live before rollback ${pin.deployment}, so there is nothing to revert to; commit it instead.`,
      { app: record.name, deployment: pin.deployment },
    );
  }
  return rollback(scope, { app: record.name, deployment: pin.previous }, pin.deployment);
}
