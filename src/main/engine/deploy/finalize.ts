import type { ServiceEndpoint } from '../../../shared/deployment';
import { listSlipwayContainers } from '../docker/containers';
import { removeImagesQuietly } from '../docker/images';
import { runJobs } from './deploy-jobs';
import { drainAndRemove } from './drain-instances';
import { applyRollbackPin } from './rollback-pin';
import { tagsBeyondRetention } from './retention';
import type { RunContext } from './run-context';
import { closeOpenSteps } from './step-tree';

/** Marks this deployment ACTIVE and the previous one SUPERSEDED. */
export async function markLive(run: RunContext, endpoints: ServiceEndpoint[]) {
  const previous = run.ctx.liveDeployment(run.app.name);
  await applyRollbackPin(run, previous && previous.id !== run.deployment.id ? previous.id : null);
  if (previous && previous.id !== run.deployment.id) {
    await run.ctx.saveDeployment(previous, (p) => {
      p.phase = 'SUPERSEDED';
    });
  }
  await run.ctx.saveDeployment(run.deployment, (d) => {
    d.endpoints = endpoints;
    d.phase = 'ACTIVE';
  });
}

/**
 * After the switch: post-deploy jobs, then the previous version drains, is
 * stopped gracefully and removed, and images beyond retention are untagged. The new
 * version serves already: a failure here is reported, never a rollback.
 */
export async function finalize(run: RunContext, runPostDeployJobs: boolean) {
  try {
    if (runPostDeployJobs) await runJobs(run, 'POST_DEPLOY', { failDeployment: false });
    await run.step('deploy.finalize', 'RUNNING');
    await removePreviousContainers(run);
    await removeImagesQuietly(run.host, tagsBeyondRetention(run.ctx.store.state.deployments, run.app.name));
    await run.step('deploy.finalize', 'SUCCESS');
    await run.step('deploy', 'SUCCESS');
  } catch (err) {
    const reason = (err as Error).message;
    run.log.write('deploy', `Could not remove the previous version: ${reason}`);
    await run.ctx.saveDeployment(run.deployment, (d) => closeOpenSteps(d.progress, 'ERROR', reason));
  } finally {
    await run.ctx.saveDeployment(run.deployment, (d) => {
      d.finishedAt = new Date().toISOString();
    });
  }
}

/** Drains and removes every container of the app that this deployment does not run (carried-over ones it does). */
async function removePreviousContainers(run: RunContext) {
  const own = new Set(Object.values(run.deployment.containers).flat());
  const stale = (await listSlipwayContainers(run.host, run.ctx.owner, run.app.name)).filter((c) => !own.has(c.Id));
  await drainAndRemove(
    run,
    stale.map((c) => c.Id),
  );
}
