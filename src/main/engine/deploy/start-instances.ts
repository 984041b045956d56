import type { ComponentSpec } from '../../../shared/spec/app-spec';
import { DEFAULT_HEALTH_CHECK } from '../../../shared/spec/load-spec';
import { containerTail, startInstance, type StartedInstance } from '../docker/containers';
import { describeHealthPlan, waitHealthy, type HealthPlan } from '../health/wait-healthy';
import { runtimeEnv } from './component-env';
import type { RunContext } from './run-context';
import { servesHttp } from '../../../shared/component-kinds';

/** How long a worker (or a service without any check) must stay up to count as healthy. */
const STILL_RUNNING_SECONDS = 3;

/** Starts every instance of a service or worker, then waits until all are healthy. */
export async function startComponent(run: RunContext, component: ComponentSpec) {
  const base = `deploy.${component.name}`;
  await run.step(`${base}.start`, 'RUNNING');
  const instances: StartedInstance[] = [];
  for (let index = 1; index <= component.instanceCount; index++) {
    run.checkCanceled();
    instances.push(await startOne(run, component, index));
  }
  await run.ctx.saveDeployment(run.deployment, (d) => {
    d.containers[component.name] = instances.map((i) => i.id);
  });
  await run.step(`${base}.start`, 'SUCCESS');
  await run.step(`${base}.wait`, 'RUNNING');
  await Promise.all(instances.map((i) => waitInstance(run, component, i)));
  // instance_count 0 keeps a component in the spec without running it: nothing to wait for, nothing failed.
  if (component.instanceCount === 0) run.log.write('deploy', 'instance_count is 0: not started', component.name);
  else run.log.write('deploy', `All ${instances.length} instance(s) healthy`, component.name);
  await run.step(`${base}.wait`, 'SUCCESS');
  await run.step(base, 'SUCCESS');
  return { component, instances };
}

/** Starts one labelled instance of a component from this deployment's image. */
export async function startOne(run: RunContext, component: ComponentSpec, index: number): Promise<StartedInstance> {
  const instance = await startInstance(run.host, {
    owner: run.ctx.owner,
    app: run.app.name,
    component: component.name,
    deployment: run.deployment.id,
    index,
    image: run.deployment.images[component.name]!.tag,
    env: runtimeEnv(run.spec, component, run.ctx.secrets, run.urls),
    runCommand: component.runCommand,
    httpPort: servesHttp(component) ? component.httpPort : null,
    restart: true,
    network: run.network,
  });
  run.started.push(instance.id);
  run.log.write('deploy', `Started instance ${index} (${instance.id.slice(0, 12)})`, component.name);
  return instance;
}

/** Waits until an instance is healthy; on failure its last output goes to the log first. */
export async function waitInstance(run: RunContext, component: ComponentSpec, instance: StartedInstance) {
  const plan = await healthPlan(run, component, instance.id, instance.hostPort);
  run.log.write('deploy', `Waiting for ${describeHealthPlan(plan)}`, component.name);
  try {
    await waitHealthy(run.host, instance.id, plan, run.signal);
  } catch (err) {
    for (const line of await containerTail(run.host, instance.id, 20)) run.log.write('run', line, component.name);
    throw err;
  }
}

/** The spec's health check; else the image's HEALTHCHECK; else DigitalOcean's default TCP check; else "still running". */
async function healthPlan(
  run: RunContext,
  component: ComponentSpec,
  containerId: string,
  hostPort: number | null,
): Promise<HealthPlan> {
  if (component.healthCheck && hostPort) {
    return { kind: 'probe', hostPort, check: component.healthCheck };
  }
  const info = await run.host.docker.getContainer(containerId).inspect();
  if (info.Config.Healthcheck?.Test && info.Config.Healthcheck.Test[0] !== 'NONE') {
    return { kind: 'docker', timeoutSeconds: 300 };
  }
  if (hostPort) return { kind: 'probe', hostPort, check: DEFAULT_HEALTH_CHECK };
  return { kind: 'running', seconds: STILL_RUNNING_SECONDS };
}
