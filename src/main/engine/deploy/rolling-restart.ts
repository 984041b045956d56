import type { ServiceEndpoint } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import type { StartedInstance } from '../docker/containers';
import { publishedPort } from '../docker/published-port';
import { drainAndRemove } from './drain-instances';
import { routeService } from './edge-routes';
import type { RunContext } from './run-context';
import { startOne, waitInstance } from './start-instances';
import { servesHttp } from '../../../shared/component-kinds';

/**
 * Replaces each instance of the named components with a fresh container of
 * the same image, one at a time, each healthy and routed before the one it
 * replaces drains and stops: the service keeps answering throughout. Other components keep their containers.
 * Returns the live deployment's endpoints, which do not change.
 */
export async function rollingRestart(run: RunContext, components: string[]): Promise<ServiceEndpoint[]> {
  const { ctx, app, deployment } = run;
  const base = ctx.liveDeployment(app.name);
  if (!base) throw new SlipwayError('DEPLOYMENT_NOT_FOUND', `${app.name} has nothing live to restart.`);
  for (const [name, ids] of Object.entries(base.containers)) {
    if (!components.includes(name)) {
      await ctx.saveDeployment(deployment, (d) => {
        d.containers[name] = [...ids];
      });
    }
  }
  for (const name of components) {
    const component = run.spec.components.find((c) => c.name === name)!;
    const stepName = `deploy.${name}`;
    await run.step(stepName, 'RUNNING');
    const old = [...(base.containers[name] ?? [])];
    const current = [...old];
    const fresh: StartedInstance[] = [];
    const upstreamPorts = new Map<string, number>();
    for (const id of old) {
      const port = await inspectPublishedPort(run, id);
      if (port) upstreamPorts.set(id, port);
    }
    for (let index = 1; index <= component.instanceCount; index++) {
      run.checkCanceled();
      await run.step(`${stepName}.${index}`, 'RUNNING');
      const instance = await startOne(run, component, index);
      fresh.push(instance);
      await waitInstance(run, component, instance);
      // Traffic moves to the new instance before the old one stops.
      const replaced = old[index - 1];
      current.splice(current.indexOf(replaced ?? ''), replaced ? 1 : 0, instance.id);
      if (instance.hostPort) upstreamPorts.set(instance.id, instance.hostPort);
      if (servesHttp(component))
        await routeService(
          run,
          name,
          current.map((id) => upstreamPorts.get(id)),
        );
      run.serving.add(instance.id);
      // Should a later instance fail, the live deployment must list what really serves.
      await ctx.saveDeployment(base, (b) => {
        b.containers[name] = [...current];
      });
      if (replaced) {
        await drainAndRemove(run, [replaced]);
        run.log.write(
          'deploy',
          `Replaced instance ${index} (${replaced.slice(0, 12)} → ${instance.id.slice(0, 12)})`,
          name,
        );
      }
      await ctx.saveDeployment(deployment, (d) => {
        d.containers[name] = fresh.map((f) => f.id);
      });
      await run.step(`${stepName}.${index}`, 'SUCCESS');
    }
    // Instances beyond the spec's count (none unless the count went down) leave last.
    const extra = old.slice(component.instanceCount);
    if (servesHttp(component))
      await routeService(
        run,
        name,
        fresh.map((f) => f.hostPort),
      );
    await drainAndRemove(run, extra);
    await run.step(stepName, 'SUCCESS');
  }
  return base.endpoints;
}

/** The host port an old instance publishes, if it still exists. */
async function inspectPublishedPort(run: RunContext, containerId: string): Promise<number | undefined> {
  const info = await run.host.docker
    .getContainer(containerId)
    .inspect()
    .catch(() => null);
  return publishedPort(info) ?? undefined;
}
