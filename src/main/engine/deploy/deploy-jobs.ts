import { runtimeEnv } from './component-env';
import { runJob } from './run-job';
import type { RunContext } from './run-context';

/**
 * Runs the spec's jobs of one kind in order, each a step. A failed PRE_DEPLOY
 * job fails the deployment; a failed POST_DEPLOY job is reported only (the new
 * version serves already).
 */
export async function runJobs(
  run: RunContext,
  kind: 'PRE_DEPLOY' | 'POST_DEPLOY',
  options = { failDeployment: true },
): Promise<void> {
  const { deployment, log } = run;
  for (const job of run.spec.components.filter((c) => c.kind === 'job' && c.jobKind === kind && c.instanceCount > 0)) {
    run.checkCanceled();
    const stepName = `deploy.job.${job.name}`;
    await run.step(stepName, 'RUNNING');
    try {
      await runJob(run.host, {
        owner: run.ctx.owner,
        app: run.app.name,
        component: job.name,
        deployment: deployment.id,
        image: deployment.images[job.name]!.tag,
        env: runtimeEnv(run.spec, job, run.ctx.secrets, run.urls),
        runCommand: job.runCommand,
        network: run.network,
        onLine: (line) => log.write('deploy', line, job.name),
        signal: run.signal,
      });
      await run.step(stepName, 'SUCCESS');
    } catch (err) {
      await run.step(stepName, 'ERROR', (err as Error).message);
      if (options.failDeployment) throw err;
      log.write('deploy', `Post-deploy job ${job.name} failed: ${(err as Error).message}`, job.name);
    }
  }
}
