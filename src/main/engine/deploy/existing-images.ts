import { SlipwayError } from '../../../shared/errors';
import { imageTag } from '../docker/labels';
import type { RunContext } from './run-context';
import { closeOpenSteps } from './step-tree';

/** Restarts and rollbacks build nothing: they take the images of the deployment they start from. */
export async function useExistingImages(
  run: RunContext,
  plan: { type: 'restart'; base: string } | { type: 'rollback'; target: string },
) {
  const { app, deployment } = run;
  const fromId = plan.type === 'restart' ? plan.base : plan.target;
  const from = run.ctx.store.state.deployments.find((d) => d.id === fromId && d.app === app.name);
  if (!from) throw new SlipwayError('DEPLOYMENT_NOT_FOUND', `Deployment ${fromId} is gone.`);
  const reason = plan.type === 'restart' ? 'Restart: nothing is built' : `Rollback: the images of ${fromId} are used`;
  for (const component of run.spec.components) {
    const image = from.images[component.name];
    if (!image) throw new SlipwayError('IMAGE_UNAVAILABLE', `Deployment ${fromId} has no image for ${component.name}.`);
    if (plan.type === 'rollback') {
      // Tagged again for this deployment, so retention keeps it while this deployment may be rolled back to.
      await tagForDeployment(run, image.id, component.name);
      await run.recordImage(component.name, imageTag(app.name, component.name, deployment.id), image.id, false);
    } else {
      await run.recordImage(component.name, image.tag, image.id, false);
    }
  }
  await run.ctx.saveDeployment(deployment, (d) => {
    d.sourceRevision = from.sourceRevision;
    if (from.source) d.source = from.source;
    closeOpenSteps(d.progress.slice(0, 1), 'SKIPPED', reason);
  });
  run.log.write('deploy', `${reason}.`);
}

/** Tags an image this deployment did not build with the deployment's own tag, so it is kept for rollback. */
export async function tagForDeployment(run: RunContext, image: string, component: string) {
  await run.host.docker.getImage(image).tag({ repo: `slipway/${run.app.name}-${component}`, tag: run.deployment.id });
}
