import { listSlipwayContainers, removeContainers } from '../docker/containers';
import { removeImagesQuietly } from '../docker/images';
import { tagsOf } from './retention';
import type { RunContext } from './run-context';

/**
 * Leaves nothing of a failed deployment behind: its containers (but not the
 * fresh instances a restart already put behind the edge) and its image tags;
 * when it was stopped, also the build's running step container and the layers
 * the build created (never cached ones). Never throws for what is already gone.
 */
export async function removeFailedDeployment(run: RunContext, stopped: boolean) {
  const { host, deployment } = run;
  if (run.stepContainer && stopped) {
    await host.docker
      .getContainer(run.stepContainer)
      .remove({ force: true })
      .catch(() => undefined);
  }
  const own = await listSlipwayContainers(host, run.ctx.owner, run.app.name, deployment.id).catch(() => []);
  const leftovers = [...new Set([...run.started, ...own.map((c) => c.Id)])].filter((id) => !run.serving.has(id));
  await removeContainers(host, leftovers, 2).catch(() => undefined);
  await removeImagesQuietly(host, tagsOf(deployment));
  if (stopped) {
    // Layers this build made (never cached ones) would otherwise stay behind, untagged.
    await removeImagesQuietly(host, [...run.layers].reverse());
  }
}
