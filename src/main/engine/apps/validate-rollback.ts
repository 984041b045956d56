import type { RollbackValidation } from '../../../shared/domains/apps';
import { SlipwayError } from '../../../shared/errors';
import type { EngineContext } from '../engine-context';
import { loadStoredSpec } from '../store/stored-spec';
import { getDeployment } from './app-lookup';
import { rollbackTarget } from './rollback-targets';

/** Whether a rollback to the deployment would be accepted (its images present, not the live one), deploying nothing. */
export async function validateRollback(
  ctx: EngineContext,
  request: { app: string; deployment: string },
): Promise<RollbackValidation> {
  try {
    const target = await rollbackTarget(ctx, request.app, request.deployment);
    return { valid: true, warnings: [...loadStoredSpec(target.specYaml).warnings] };
  } catch (err) {
    if (!(err instanceof SlipwayError) || err.code === 'APP_NOT_FOUND') throw err;
    const known = ctx.store.state.deployments.some((d) => d.app === request.app && d.id === request.deployment);
    const warnings = known
      ? [...loadStoredSpec(getDeployment(ctx, request.app, request.deployment).specYaml).warnings]
      : [];
    return { valid: false, error: { code: err.code, message: err.message }, warnings };
  }
}
