import { listSlipwayContainers, removeContainers } from '../docker/containers';
import type { Deployment } from '../../../shared/deployment';
import { createdLayer } from '../docker/build-layers';
import { engineAnswers } from '../docker/docker-errors';
import { appImageTags, removeBuildLayers, removeImagesQuietly } from '../docker/images';
import type { EngineContext } from '../engine-context';
import type { DockerHost } from '../hosts/docker-host';
import { routeDeployment, routeKey } from './edge-routes';
import { forgetOnServerEdge, routeDeploymentOnServerEdge, serverEdge } from './server-edge-routes';
import { tagsOf } from './retention';
import type { RunContext } from './run-context';

/**
 * Leaves nothing of a failed deployment behind: routes back on the live
 * version, its containers (but not the fresh instances a restart already put
 * behind the edge), its image tags where it ran and where it was built, and
 * the layers its build created (never cached ones); when it was stopped, also
 * the build's running step container. Never throws for what is already gone.
 * Returns false when an engine did not answer afterwards: what it holds of
 * the deployment could not be removed, and must be once it answers.
 */
export async function removeFailedDeployment(run: RunContext, stopped: boolean): Promise<boolean> {
  const { host, builder, deployment } = run;
  if (run.stepContainer && stopped) {
    await builder.docker
      .getContainer(run.stepContainer)
      .remove({ force: true })
      .catch(() => undefined);
  }
  // A first deployment that never switched may still have made its edge port's publisher (at preflight).
  if (run.switched || !run.ctx.liveDeployment(run.app.name)) await routeBack(run);
  const own = await listSlipwayContainers(host, run.ctx.owner, run.app.name, deployment.id).catch(() => []);
  const leftovers = [...new Set([...run.started, ...own.map((c) => c.Id)])].filter((id) => !run.serving.has(id));
  await removeContainers(host, leftovers, 2).catch(() => undefined);
  // A tag is made before the deployment records it (a build or a ship cut off): found by its name too.
  for (const engine of new Set([host, builder])) await removeDeploymentTags(run.ctx, engine, deployment);
  // Layers this build made (never cached ones) would otherwise stay behind, untagged, where
  // no label finds them, with whatever build-time values their history holds.
  await removeBuildLayers(builder, [...run.layers].reverse());
  return (await engineAnswers(host)) && (builder === host || (await engineAnswers(builder)));
}

/**
 * Points the routes back at the live version, or removes them when there is none, before this
 * deployment's instances go: the tunnel's, and the server edge's (which switched first). An app whose
 * first deployment failed gives its edge port's publisher up too; the port stays its own.
 */
async function routeBack(run: RunContext) {
  const { ctx, app, host } = run;
  const live = ctx.liveDeployment(app.name);
  const previous = live && live.id !== run.deployment.id ? live : null;
  if (previous) await routeDeployment(run.edge, host, previous, app).catch(() => undefined);
  else await run.edge.removeRoutesWithPrefix(`${routeKey(app.name, '')}`).catch(() => undefined);
  if (!serverEdge(ctx, app, host)) return;
  if (previous) await routeDeploymentOnServerEdge(ctx, app, host, previous);
  else await forgetOnServerEdge(ctx, app, host).catch(() => undefined);
}

/** Removes every tag made for a deployment on one engine: those it recorded, and any named `:<id>`. */
async function removeDeploymentTags(ctx: EngineContext, host: DockerHost, deployment: Deployment) {
  const tags = await appImageTags(host, ctx.owner, deployment.app).catch(() => [] as string[]);
  await removeImagesQuietly(host, [...tagsOf(deployment), ...tags.filter((t) => t.endsWith(`:${deployment.id}`))]);
}

/**
 * Leaves nothing behind of a deployment that was cut off (an engine stopped
 * by kill -9 or a crash, a Docker engine or a server that went away): its
 * containers, every tag made for it where it ran and where it was built, and
 * the layers its build log says it made, read per component since builds run
 * side by side.
 */
export async function removeInterruptedDeployment(
  ctx: EngineContext,
  host: DockerHost,
  builder: DockerHost,
  deployment: Deployment,
) {
  const own = await listSlipwayContainers(host, ctx.owner, deployment.app, deployment.id).catch(() => []);
  await removeContainers(
    host,
    own.map((c) => c.Id),
    2,
  ).catch(() => undefined);
  for (const engine of new Set([host, builder])) await removeDeploymentTags(ctx, engine, deployment);
  const lines = await ctx.logs.read(deployment.app, deployment.id, { type: 'build' }).catch(() => []);
  const byComponent = new Map<string, string[]>();
  for (const { component, line } of lines) {
    const key = component ?? '';
    if (!byComponent.has(key)) byComponent.set(key, []);
    byComponent.get(key)!.push(line);
  }
  const layers = [...byComponent.values()].flatMap((text) =>
    text.flatMap((line, i) => createdLayer(text[i - 1] ?? '', line) ?? []),
  );
  await removeBuildLayers(builder, layers.reverse());
}
