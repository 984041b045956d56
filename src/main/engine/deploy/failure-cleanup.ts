import { listSlipwayContainers, removeContainers } from '../docker/containers';
import { removeImagesQuietly } from '../docker/images';
import { routeDeployment, routeKey } from './edge-routes';
import { tagsOf } from './retention';
import type { RunContext } from './run-context';

/**
 * Leaves nothing of a failed deployment behind: routes back on the live
 * version, its containers (but not the fresh instances a restart already put
 * behind the edge), its image tags and the layers its build created (never
 * cached ones); when it was stopped, also the build's running step container.
 * Never throws for what is already gone.
 */
export async function removeFailedDeployment(run: RunContext, stopped: boolean) {
  const { host, deployment } = run;
  if (run.stepContainer && stopped) {
    await host.docker
      .getContainer(run.stepContainer)
      .remove({ force: true })
      .catch(() => undefined);
  }
  if (run.switched) await routeBack(run);
  const own = await listSlipwayContainers(host, run.ctx.owner, run.app.name, deployment.id).catch(() => []);
  const leftovers = [...new Set([...run.started, ...own.map((c) => c.Id)])].filter((id) => !run.serving.has(id));
  await removeContainers(host, leftovers, 2).catch(() => undefined);
  await removeImagesQuietly(host, tagsOf(deployment));
  // Layers this build made (never cached ones) would otherwise stay behind, untagged, where
  // no label finds them, with whatever build-time values their history holds.
  await removeImagesQuietly(host, [...run.layers].reverse());
}

/** Points the routes back at the live version, or removes them when there is none, before this deployment's instances go. */
async function routeBack(run: RunContext) {
  const live = run.ctx.liveDeployment(run.app.name);
  const edge = run.edge;
  if (live && live.id !== run.deployment.id) await routeDeployment(edge, run.host, live).catch(() => undefined);
  else await edge.removeRoutesWithPrefix(`${routeKey(run.app.name, '')}`).catch(() => undefined);
}
