import type { Deployment } from '../../../shared/deployment';
import { writeDeployLogHeading as writeHeading } from '../deploy/deploy-log-heading';
import type { EngineContext } from '../engine-context';
import { createRedactor } from '../logs/redactor';
import { storedSpecSecrets } from '../secrets/known-secrets';

/**
 * Opens a deployment's log to write its title and description as its first lines: for a deployment that
 * ends before it runs (its log has no run to write them). A queued one gets them from its run.
 */
export async function writeDeployLogHeading(ctx: EngineContext, deployment: Deployment): Promise<void> {
  // A note may quote a secret of the spec by mistake: the log hides it as it hides the build's output.
  const redact = createRedactor(storedSpecSecrets(deployment.specYaml, ctx.secrets));
  const log = await ctx.logs.open(deployment.app, deployment.id, redact);
  try {
    writeHeading(log, deployment);
  } finally {
    await log.close();
  }
}
