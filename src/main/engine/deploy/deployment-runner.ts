import type { Deployment, DeploymentPhase, ServiceEndpoint } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import { LABELS } from '../../../shared/labels';
import type { AppSpec, ComponentSpec } from '../../../shared/spec/app-spec';
import { DEFAULT_HEALTH_CHECK } from '../../../shared/spec/load-spec';
import { loadStoredSpec } from '../store/stored-spec';
import { createBuildContext } from '../build/build-context';
import {
  containerTail,
  ensureAppNetwork,
  foreignContainers,
  listSlipwayContainers,
  removeContainers,
  startInstance,
  type StartedInstance,
} from '../docker/containers';
import { buildImage } from '../docker/image-builder';
import { ensureImage } from '../docker/ensure-image';
import { shipImage } from '../docker/ship-image';
import { imageReference } from '../docker/image-reference';
import { imageTag, slipwayLabels } from '../docker/labels';
import { pickStablePort } from '../edge/host-ports';
import { serviceUrl } from '../edge/service-url';
import type { DockerHost } from '../hosts/docker-host';
import { describeHealthPlan, waitHealthy, type HealthPlan } from '../health/wait-healthy';
import type { DeploymentLogWriter } from '../logs/deployment-logs';
import { createRedactor } from '../logs/redactor';
import type { AppRecord } from '../store/state-store';
import { checkoutSources, type SourceCheckout } from './checkout-sources';
import { removeImagesQuietly } from '../docker/images';
import { publishedPort } from '../docker/published-port';
import { secretValues } from '../secrets/seal-spec';
import { tagsBeyondRetention, tagsOf } from './retention';
import { buildArgs, runtimeEnv, secretBuildArgNames, type DeployTimeUrls } from './component-env';
import type { EngineContext } from '../engine-context';
import { DeploymentStop } from './deploy-queue';
import { runJob } from './run-job';
import { closeOpenSteps, markStep, NOT_RUN_AFTER_FAILURE } from './step-tree';
import { isConnectionError } from '../docker/docker-errors';

/** How long a worker (or a service without any check) must stay up to count as healthy. */
const STILL_RUNNING_SECONDS = 3;

/** Runs one queued deployment to its end: ACTIVE, ERROR or CANCELED. Never throws. */
export async function runDeployment(ctx: EngineContext, appName: string, deploymentId: string, signal: AbortSignal) {
  const app = ctx.store.state.apps.find((a) => a.name === appName);
  const deployment = ctx.store.state.deployments.find((d) => d.id === deploymentId);
  if (!app || !deployment) return;
  const loaded = loadStoredSpec(deployment.specYaml);
  if (!loaded.spec) {
    await finish(ctx, deployment, 'ERROR', {
      code: 'SPEC_INVALID',
      message: loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    });
    return;
  }
  const spec = loaded.spec;
  let secrets: Record<string, string>;
  try {
    secrets = secretValues(spec, ctx.secrets);
  } catch (err) {
    await finish(ctx, deployment, 'ERROR', { code: 'SECRET_UNREADABLE', message: (err as Error).message });
    return;
  }
  let host: DockerHost;
  try {
    host = await ctx.hostFor(app.server);
  } catch (err) {
    const e = err as SlipwayError;
    await finish(ctx, deployment, 'ERROR', { code: e.code ?? 'DEPLOY_FAILED', message: e.message });
    return;
  }
  const log = await ctx.logs.open(app.name, deployment.id, createRedactor(secrets));
  const run = new DeploymentRun(ctx, host, app, deployment, spec, log, signal);
  try {
    await run.execute();
  } finally {
    await log.close();
    await ctx.store.flushed();
  }
}

class DeploymentRun {
  private readonly started: string[] = [];
  /** Restart only: fresh instances already serving, which a later failure must leave in place. */
  private readonly serving = new Set<string>();
  /** Layers the build created, and the container of its running step: what a cancel or kill removes. */
  private readonly layers: string[] = [];
  private stepContainer: string | null = null;
  private readonly urls: DeployTimeUrls = { publicUrls: new Map() };
  private network: string | null = null;

  constructor(
    private readonly ctx: EngineContext,
    /** Where this app runs: this machine's engine or a server's. */
    private readonly host: DockerHost,
    private readonly app: AppRecord,
    private readonly deployment: Deployment,
    private readonly spec: AppSpec,
    private readonly log: DeploymentLogWriter,
    private readonly signal: AbortSignal,
  ) {}

  private get edge() {
    return this.ctx.edgeFor(this.app.server);
  }

  private async step(name: string, status: 'RUNNING' | 'SUCCESS' | 'ERROR' | 'SKIPPED', reason?: string) {
    await this.ctx.saveDeployment(this.deployment, (d) => markStep(d.progress, name, status, reason));
  }

  private async phase(phase: DeploymentPhase) {
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.phase = phase;
    });
  }

  private checkCanceled() {
    if (this.signal.aborted) throw this.signal.reason;
  }

  async execute(): Promise<void> {
    const plan = this.deployment.plan;
    try {
      await this.refuseAnotherInstallationsApp();
      await this.assignHostPorts();
      this.computeUrls();
      if (plan.type === 'build') await this.buildAll(plan.revision);
      else await this.useExistingImages(plan);

      await this.phase('PENDING_DEPLOY');
      this.checkCanceled();
      await this.phase('DEPLOYING');
      await this.step('deploy.initialize', 'RUNNING');
      // Components find each other by name on the app's network; a lone component needs none,
      // and Docker's default bridge starts it faster.
      this.network =
        this.spec.components.length > 1 ? await ensureAppNetwork(this.host, this.ctx.owner, this.app.name) : null;
      await this.step('deploy.initialize', 'SUCCESS');

      let endpoints: ServiceEndpoint[];
      if (plan.type === 'restart') {
        endpoints = await this.rollingRestart(plan.components);
      } else {
        await this.runJobs('PRE_DEPLOY');
        const started = await Promise.all(
          this.spec.components.filter((c) => c.kind !== 'job').map((c) => this.startComponent(c)),
        );
        this.checkCanceled();
        await this.step('deploy.switch', 'RUNNING');
        endpoints = await this.goLive(started.filter((s) => s.component.kind === 'service'));
        await this.step('deploy.switch', 'SUCCESS');
      }
      // Live from the switch on, as App Platform counts it; the old version drains after.
      await this.markLive(endpoints);
      this.log.write('deploy', `Deployment ${this.deployment.id} is live.`);
      await this.finalize(plan.type !== 'restart');
    } catch (err) {
      await this.fail(err);
    }
  }

  private async buildAll(revision: string | null) {
    await this.phase('BUILDING');
    await this.step('build', 'RUNNING');
    const checkouts = await this.fetchSources(revision);
    for (const component of this.spec.components) {
      this.checkCanceled();
      await this.buildComponent(component, checkouts.get(component.name)!);
    }
    await this.step('build.finalize', 'RUNNING');
    await this.step('build.finalize', 'SUCCESS');
    await this.step('build', 'SUCCESS');
  }

  /** Restarts and rollbacks build nothing: they take the images of the deployment they start from. */
  private async useExistingImages(plan: { type: 'restart'; base: string } | { type: 'rollback'; target: string }) {
    const fromId = plan.type === 'restart' ? plan.base : plan.target;
    const from = this.ctx.store.state.deployments.find((d) => d.id === fromId && d.app === this.app.name);
    if (!from) throw new SlipwayError('DEPLOYMENT_NOT_FOUND', `Deployment ${fromId} is gone.`);
    const reason = plan.type === 'restart' ? 'Restart: nothing is built' : `Rollback: the images of ${fromId} are used`;
    for (const component of this.spec.components) {
      const image = from.images[component.name];
      if (!image)
        throw new SlipwayError('IMAGE_UNAVAILABLE', `Deployment ${fromId} has no image for ${component.name}.`);
      if (plan.type === 'rollback') {
        // Tagged again for this deployment, so retention keeps it while this deployment may be rolled back to.
        await this.tagImage(image.id, component.name);
        await this.recordImage(
          component.name,
          imageTag(this.app.name, component.name, this.deployment.id),
          image.id,
          false,
        );
      } else {
        await this.recordImage(component.name, image.tag, image.id, false);
      }
    }
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.sourceRevision = from.sourceRevision;
      closeOpenSteps(d.progress.slice(0, 1), 'SKIPPED', reason);
    });
    this.log.write('deploy', `${reason}.`);
  }

  /**
   * Replaces each instance of the named components with a fresh container of
   * the same image, one at a time, each healthy before the next: the service
   * keeps answering throughout. Other components keep their containers.
   */
  private async rollingRestart(components: string[]): Promise<ServiceEndpoint[]> {
    const base = this.ctx.liveDeployment(this.app.name);
    if (!base) throw new SlipwayError('DEPLOYMENT_NOT_FOUND', `${this.app.name} has nothing live to restart.`);
    for (const [name, ids] of Object.entries(base.containers)) {
      if (!components.includes(name)) {
        await this.ctx.saveDeployment(this.deployment, (d) => {
          d.containers[name] = [...ids];
        });
      }
    }
    for (const name of components) {
      const component = this.spec.components.find((c) => c.name === name)!;
      const stepName = `deploy.${name}`;
      await this.step(stepName, 'RUNNING');
      const old = [...(base.containers[name] ?? [])];
      const current = [...old];
      const fresh: StartedInstance[] = [];
      const upstreamPorts = new Map<string, number>();
      for (const id of old) {
        const port = await this.publishedPort(id);
        if (port) upstreamPorts.set(id, port);
      }
      for (let index = 1; index <= component.instanceCount; index++) {
        this.checkCanceled();
        await this.step(`${stepName}.${index}`, 'RUNNING');
        const instance = await this.startOne(component, index);
        fresh.push(instance);
        await this.waitInstance(component, instance);
        // Traffic moves to the new instance before the old one stops.
        const replaced = old[index - 1];
        current.splice(current.indexOf(replaced ?? ''), replaced ? 1 : 0, instance.id);
        if (instance.hostPort) upstreamPorts.set(instance.id, instance.hostPort);
        if (component.kind === 'service')
          await this.routeTo(
            component,
            current.map((id) => upstreamPorts.get(id)),
          );
        this.serving.add(instance.id);
        // Should a later instance fail, the live deployment must list what really serves.
        await this.ctx.saveDeployment(base, (b) => {
          b.containers[name] = [...current];
        });
        if (replaced) {
          await removeContainers(this.host, [replaced]);
          this.log.write(
            'deploy',
            `Replaced instance ${index} (${replaced.slice(0, 12)} → ${instance.id.slice(0, 12)})`,
            name,
          );
        }
        await this.ctx.saveDeployment(this.deployment, (d) => {
          d.containers[name] = fresh.map((f) => f.id);
        });
        await this.step(`${stepName}.${index}`, 'SUCCESS');
      }
      // Instances beyond the spec's count (none unless the count went down) leave last.
      const extra = old.slice(component.instanceCount);
      if (component.kind === 'service')
        await this.routeTo(
          component,
          fresh.map((f) => f.hostPort ?? undefined),
        );
      await removeContainers(this.host, extra);
      await this.step(stepName, 'SUCCESS');
    }
    return base.endpoints;
  }

  private async publishedPort(containerId: string): Promise<number | undefined> {
    const info = await this.host.docker
      .getContainer(containerId)
      .inspect()
      .catch(() => null);
    return publishedPort(info) ?? undefined;
  }

  private async routeTo(component: ComponentSpec, ports: Array<number | undefined>) {
    const live = ports.filter((p): p is number => p !== undefined);
    await this.edge.setRoute(
      routeKey(this.app.name, component.name),
      this.app.hostPorts[component.name]!,
      live.map((port) => ({ port, connect: () => this.host.connectLoopback(port) })),
    );
  }

  /** After the switch: post-deploy jobs, then the previous version is stopped gracefully and removed. */
  private async finalize(runJobs: boolean) {
    try {
      if (runJobs) await this.runJobs('POST_DEPLOY', { failDeployment: false });
      await this.step('deploy.finalize', 'RUNNING');
      await this.removePreviousContainers();
      await removeImagesQuietly(this.host, tagsBeyondRetention(this.ctx.store.state.deployments, this.app.name));
      await this.step('deploy.finalize', 'SUCCESS');
      await this.step('deploy', 'SUCCESS');
    } catch (err) {
      // The new version serves already: a cleanup failure is reported, not a rollback.
      const reason = (err as Error).message;
      this.log.write('deploy', `Could not remove the previous version: ${reason}`);
      await this.ctx.saveDeployment(this.deployment, (d) => closeOpenSteps(d.progress, 'ERROR', reason));
    } finally {
      await this.ctx.saveDeployment(this.deployment, (d) => {
        d.finishedAt = new Date().toISOString();
      });
    }
  }

  /** Chooses, once per app, the stable host port of every service. */
  /** An app of this name that another Slipway installation runs on the host is theirs: never replace it. */
  private async refuseAnotherInstallationsApp() {
    const theirs = await foreignContainers(this.host, this.ctx.owner, this.app.name);
    if (theirs.length === 0) return;
    const owner = theirs[0]!.Labels[LABELS.owner];
    throw new SlipwayError(
      'APP_EXISTS',
      `${this.host.name === 'local' ? 'This machine' : `Server ${this.host.name}`} already runs an app named ${this.app.name} for another Slipway installation (owner ${owner}); nothing was changed. Give this app another name (name: in its spec), or delete it there from the installation that made it.`,
      { app: this.app.name, server: this.host.name, owner },
    );
  }

  private async assignHostPorts() {
    const missing = this.spec.components.filter((c) => c.kind === 'service' && !this.app.hostPorts[c.name]);
    if (missing.length === 0) return;
    const ports: Record<string, number> = {};
    // Stable across deploys once chosen; never a port another app holds (it may be stopped now).
    const taken = new Set(this.ctx.store.state.apps.flatMap((a) => Object.values(a.hostPorts)));
    for (const c of missing) taken.add((ports[c.name] = await pickStablePort(taken)));
    await this.ctx.store.update(() => Object.assign(this.app.hostPorts, ports));
  }

  /** The public URLs that `${APP_URL}` and `${<service>.PUBLIC_URL}` stand for. */
  private computeUrls() {
    const services = this.spec.components.filter((c) => c.kind === 'service' && this.app.hostPorts[c.name]);
    this.urls.publicUrls = new Map(services.map((c) => [c.name, serviceUrl(this.app.hostPorts[c.name]!)]));
    if (services[0]) this.urls.appUrl = this.urls.publicUrls.get(services[0].name);
  }

  private async fetchSources(revision: string | null): Promise<Map<string, SourceCheckout>> {
    await this.step('build.initialize', 'RUNNING');
    const out = await checkoutSources({
      spec: this.spec,
      app: this.app.name,
      localRoot: this.app.sourcePath,
      dataDir: this.ctx.dataDir,
      revision,
      log: (line) => this.log.write('build', line),
      signal: this.signal,
    });
    const fetched = [...out.values()].find((s) => s.revision)?.revision ?? null;
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.sourceRevision = fetched;
    });
    await this.step('build.initialize', 'SUCCESS');
    return out;
  }

  private async buildComponent(component: ComponentSpec, checkout: SourceCheckout) {
    const stepName = `build.${component.name}`;
    await this.step(stepName, 'RUNNING');
    const tag = imageTag(this.app.name, component.name, this.deployment.id);
    const source = component.source;
    if (source.type === 'image') {
      const ref = imageReference(source);
      const image = await ensureImage(this.host, ref, (line) => this.log.write('build', line, component.name));
      await this.tagImage(image, component.name);
      await this.recordImage(component.name, tag, image, false);
      await this.step(stepName, 'SUCCESS', `Using image ${ref}`);
      return;
    }

    const reused = this.reusableImage(component, checkout.revision);
    if (reused) {
      await this.tagImage(reused, component.name);
      await this.recordImage(component.name, tag, reused, false);
      this.log.write('build', `Source unchanged at ${checkout.revision}: reusing the live image.`, component.name);
      await this.step(
        stepName,
        'SKIPPED',
        'Source unchanged; the live image is reused. Force rebuild to build anyway.',
      );
      return;
    }

    const context = await createBuildContext({
      sourceRoot: checkout.root,
      sourceDir: component.sourceDir,
      dockerfilePath: component.dockerfilePath,
    });
    this.log.write('build', `Sending build context: ${context.files} files, ${context.bytes} bytes`, component.name);
    for (const key of secretBuildArgNames(component)) {
      this.log.write(
        'build',
        `Warning: secret ${key} is passed as a build argument; its value stays visible in the image's history.`,
        component.name,
      );
    }
    // An app on a server builds there, unless it asks to build here and ship the image (no registry).
    const shipping = this.app.server !== 'local' && this.app.buildMode === 'local';
    const builder = shipping ? this.ctx.localHost : this.host;
    const result = await buildImage(builder, {
      context: context.tar,
      dockerfile: context.dockerfile,
      tag,
      // No deployment label on images: a unique value would defeat the layer cache on every build,
      // and an image can serve several deployments. The tag names the deployment.
      labels: slipwayLabels(this.ctx.owner, this.app.name, component.name),
      buildArgs: buildArgs(this.spec, component, this.ctx.secrets, this.urls),
      noCache: this.deployment.options.clearCache,
      signal: this.signal,
      onLine: (line) => this.log.write('build', line, component.name),
      onLayer: (id) => this.layers.push(id),
      onStepContainer: (id) => (this.stepContainer = id),
    });
    if (shipping) {
      this.log.write('build', `Shipping ${tag} to ${this.host.name}`, component.name);
      const bytes = await shipImage(builder, this.host, tag, this.signal);
      this.log.write('build', `Shipped ${(bytes / 1024 / 1024).toFixed(1)} MB to ${this.host.name}`, component.name);
    }
    await this.recordImage(component.name, tag, result.imageId, true);
    await this.step(stepName, 'SUCCESS');
  }

  /** Tags an image this deployment did not build with the deployment's own tag, so it is kept for rollback. */
  private async tagImage(image: string, component: string) {
    await this.host.docker
      .getImage(image)
      .tag({ repo: `slipway/${this.app.name}-${component}`, tag: this.deployment.id });
  }

  /** The live image of a component, when it was built from the same commit with the same build inputs. */
  private reusableImage(component: ComponentSpec, revision: string | null): string | null {
    // A redeploy and a force rebuild exist to build again; only a plain deploy reuses.
    if (this.deployment.cause !== 'manual' || !revision) return null;
    const live = this.ctx.liveDeployment(this.app.name);
    if (!live || live.sourceRevision !== revision) return null;
    const liveSpec = loadStoredSpec(live.specYaml).spec;
    const before = liveSpec?.components.find((c) => c.name === component.name);
    if (!before || buildInputs(before) !== buildInputs(component)) return null;
    return live.images[component.name]?.id ?? null;
  }

  private async recordImage(component: string, tag: string, id: string, built: boolean) {
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.images[component] = { tag, id, built };
    });
  }

  private async runJobs(kind: 'PRE_DEPLOY' | 'POST_DEPLOY', options = { failDeployment: true }) {
    for (const job of this.spec.components.filter((c) => c.kind === 'job' && c.jobKind === kind)) {
      this.checkCanceled();
      const stepName = `deploy.job.${job.name}`;
      await this.step(stepName, 'RUNNING');
      try {
        await runJob(this.host, {
          owner: this.ctx.owner,
          app: this.app.name,
          component: job.name,
          deployment: this.deployment.id,
          image: this.deployment.images[job.name]!.tag,
          env: runtimeEnv(this.spec, job, this.ctx.secrets, this.urls),
          runCommand: job.runCommand,
          network: this.network,
          onLine: (line) => this.log.write('deploy', line, job.name),
          signal: this.signal,
        });
        await this.step(stepName, 'SUCCESS');
      } catch (err) {
        await this.step(stepName, 'ERROR', (err as Error).message);
        if (options.failDeployment) throw err;
        this.log.write('deploy', `Post-deploy job ${job.name} failed: ${(err as Error).message}`, job.name);
      }
    }
  }

  private async startComponent(component: ComponentSpec) {
    const base = `deploy.${component.name}`;
    await this.step(`${base}.start`, 'RUNNING');
    const instances: StartedInstance[] = [];
    for (let index = 1; index <= component.instanceCount; index++) {
      this.checkCanceled();
      instances.push(await this.startOne(component, index));
    }
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.containers[component.name] = instances.map((i) => i.id);
    });
    await this.step(`${base}.start`, 'SUCCESS');
    await this.step(`${base}.wait`, 'RUNNING');
    await Promise.all(instances.map((i) => this.waitInstance(component, i)));
    this.log.write('deploy', `All ${instances.length} instance(s) healthy`, component.name);
    await this.step(`${base}.wait`, 'SUCCESS');
    await this.step(base, 'SUCCESS');
    return { component, instances };
  }

  /** Starts one labelled instance of a component from this deployment's image. */
  private async startOne(component: ComponentSpec, index: number): Promise<StartedInstance> {
    const instance = await startInstance(this.host, {
      owner: this.ctx.owner,
      app: this.app.name,
      component: component.name,
      deployment: this.deployment.id,
      index,
      image: this.deployment.images[component.name]!.tag,
      env: runtimeEnv(this.spec, component, this.ctx.secrets, this.urls),
      runCommand: component.runCommand,
      httpPort: component.kind === 'service' ? component.httpPort : null,
      restart: true,
      network: this.network,
    });
    this.started.push(instance.id);
    this.log.write('deploy', `Started instance ${index} (${instance.id.slice(0, 12)})`, component.name);
    return instance;
  }

  /** Waits until an instance is healthy; on failure its last output goes to the log first. */
  private async waitInstance(component: ComponentSpec, instance: StartedInstance) {
    const plan = await this.healthPlan(component, instance.id, instance.hostPort);
    this.log.write('deploy', `Waiting for ${describeHealthPlan(plan)}`, component.name);
    try {
      await waitHealthy(this.host, instance.id, plan, this.signal);
    } catch (err) {
      for (const line of await containerTail(this.host, instance.id, 20)) this.log.write('run', line, component.name);
      throw err;
    }
  }

  /** The spec's health check; else the image's HEALTHCHECK; else DigitalOcean's default TCP check; else "still running". */
  private async healthPlan(
    component: ComponentSpec,
    containerId: string,
    hostPort: number | null,
  ): Promise<HealthPlan> {
    if (component.healthCheck && hostPort) {
      return { kind: 'probe', hostPort, check: component.healthCheck };
    }
    const info = await this.host.docker.getContainer(containerId).inspect();
    if (info.Config.Healthcheck?.Test && info.Config.Healthcheck.Test[0] !== 'NONE') {
      return { kind: 'docker', timeoutSeconds: 300 };
    }
    if (hostPort) return { kind: 'probe', hostPort, check: DEFAULT_HEALTH_CHECK };
    return { kind: 'running', seconds: STILL_RUNNING_SECONDS };
  }

  private async goLive(services: Array<{ component: ComponentSpec; instances: Array<{ hostPort: number | null }> }>) {
    const endpoints: ServiceEndpoint[] = [];
    for (const { component, instances } of services) {
      const port = this.app.hostPorts[component.name]!;
      await this.edge.setRoute(
        routeKey(this.app.name, component.name),
        port,
        instances
          .filter((i) => i.hostPort)
          .map((i) => ({ port: i.hostPort!, connect: () => this.host.connectLoopback(i.hostPort!) })),
      );
      endpoints.push({ component: component.name, hostPort: port, url: serviceUrl(port) });
      this.log.write('deploy', `${component.name} answers at ${serviceUrl(port)}`, component.name);
    }
    return endpoints;
  }

  /** Removes every container of the app that this deployment does not run (carried-over ones it does). */
  private async removePreviousContainers() {
    const own = new Set(Object.values(this.deployment.containers).flat());
    const stale = (await listSlipwayContainers(this.host, this.ctx.owner, this.app.name)).filter((c) => !own.has(c.Id));
    if (stale.length > 0) this.log.write('deploy', `Removing ${stale.length} container(s) of the previous version`);
    await removeContainers(
      this.host,
      stale.map((c) => c.Id),
    );
  }

  /** Marks this deployment ACTIVE and the previous one SUPERSEDED. */
  private async markLive(endpoints: ServiceEndpoint[]) {
    const previous = this.ctx.liveDeployment(this.app.name);
    if (previous && previous.id !== this.deployment.id) {
      await this.ctx.saveDeployment(previous, (p) => {
        p.phase = 'SUPERSEDED';
      });
    }
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.endpoints = endpoints;
      d.phase = 'ACTIVE';
    });
  }

  private async fail(err: unknown) {
    const stop = this.signal.aborted && this.signal.reason instanceof DeploymentStop ? this.signal.reason : null;
    const known = err instanceof SlipwayError;
    let phase: DeploymentPhase = 'ERROR';
    let error: { code: string; message: string };
    if (stop?.kind === 'cancel') {
      phase = 'CANCELED';
      error = { code: 'CANCELED', message: `Canceled by ${stop.by}; the previous version is still live.` };
    } else if (stop?.kind === 'kill') {
      error = {
        code: 'BUILD_KILLED',
        message: `The build was killed by ${stop.by}; the previous version is still live.`,
      };
    } else if (stop?.kind === 'shutdown') {
      error = { code: 'DEPLOY_FAILED', message: 'Interrupted: Slipway stopped while this deployment ran.' };
    } else if (!this.host.connected) {
      error = {
        code: 'DEPLOY_FAILED',
        message: `Interrupted: the connection to ${this.app.server} was lost; the previous version still runs there.`,
      };
    } else if (!known && isConnectionError(err)) {
      error = {
        code: 'DOCKER_UNREACHABLE',
        message: `The Docker engine ${this.host.name === 'local' ? 'on this machine' : `on ${this.host.name}`} does not answer (${(err as { code: string }).code}). Start it and deploy again; the previous version is untouched.`,
      };
    } else {
      error = known
        ? { code: err.code, message: err.message }
        : { code: 'DEPLOY_FAILED', message: `Unexpected error: ${(err as Error)?.message ?? String(err)}` };
    }
    this.log.write('deploy', phase === 'CANCELED' ? 'Deployment canceled.' : `Deployment failed: ${error.message}`);
    const lastLogLines = this.log.lastLines(20);
    const notRun = phase === 'CANCELED' ? 'Not run: the deployment was canceled.' : NOT_RUN_AFTER_FAILURE;
    await this.ctx.saveDeployment(this.deployment, (d) => closeOpenSteps(d.progress, 'ERROR', error.message, notRun));

    // Leave nothing of this deployment behind: the build's step container, its containers, its images.
    if (this.stepContainer && stop) {
      await this.host.docker
        .getContainer(this.stepContainer)
        .remove({ force: true })
        .catch(() => undefined);
    }
    const own = await listSlipwayContainers(this.host, this.ctx.owner, this.app.name, this.deployment.id).catch(
      () => [],
    );
    const leftovers = [...new Set([...this.started, ...own.map((c) => c.Id)])].filter((id) => !this.serving.has(id));
    await removeContainers(this.host, leftovers, 2).catch(() => undefined);
    await removeImagesQuietly(this.host, tagsOf(this.deployment));
    if (stop) {
      // Layers this build made (never cached ones) would otherwise stay behind, untagged.
      await removeImagesQuietly(this.host, [...this.layers].reverse());
    }
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.phase = phase;
      d.finishedAt = new Date().toISOString();
      d.error = { ...error, lastLogLines };
      if (stop?.kind === 'cancel') d.canceled = { at: new Date().toISOString(), by: stop.by };
    });
  }
}

/** What decides whether a component's image must be built again. */
function buildInputs(component: ComponentSpec): string {
  return JSON.stringify({
    source: component.source,
    sourceDir: component.sourceDir,
    dockerfilePath: component.dockerfilePath,
    buildEnvs: component.envs
      .filter((e) => e.scope !== 'RUN_TIME')
      .map((e) => [e.key, e.type === 'SECRET' ? '' : e.value]),
  });
}

/** The edge route of a service. */
export function routeKey(app: string, component: string): string {
  return `${app}/${component}`;
}

async function finish(ctx: EngineContext, deployment: Deployment, phase: DeploymentPhase, error?: Deployment['error']) {
  await ctx.saveDeployment(deployment, (d) => {
    d.phase = phase;
    d.finishedAt = new Date().toISOString();
    if (error) d.error = error;
  });
}
