import { EventEmitter } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppDetail, AppEvent, AppStatus, AppSummary } from '../../../shared/domains/apps';
import { FINISHED_PHASES, type Deployment, type LogLine, type LogType } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import type { SpecLoadResult } from '../../../shared/spec/app-spec';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import { listSlipwayContainers, removeContainers } from '../docker/containers';
import { labelFilter, networkName } from '../docker/labels';
import { followRunLogs, readRunLogs } from '../docker/run-logs';
import type { EngineContext } from '../deploy/engine-context';
import { DeployQueue } from '../deploy/deploy-queue';
import { newDeploymentId } from '../deploy/deployment-id';
import { RETAINED_DEPLOYMENTS, routeKey, runDeployment } from '../deploy/deployment-runner';
import { initialSteps } from '../deploy/step-tree';
import { maskSpecSecrets, sealSpecSecrets } from '../secrets/seal-spec';
import type { AppRecord } from '../store/state-store';
import { checkSourceFolder, sourceRootForSpec } from './source-path';
import { loadStoredSpec } from './stored-spec';

type SpecInput = { specPath: string } | { specYaml: string; sourcePath: string };

const RUNNING_PHASES = ['PENDING_BUILD', 'BUILDING', 'PENDING_DEPLOY', 'DEPLOYING'];

/** Implements the `apps` domain: apps, their deployments and their logs. */
export class AppsService {
  private readonly events = new EventEmitter();
  readonly queue: DeployQueue;

  constructor(private readonly ctx: EngineContext) {
    this.events.setMaxListeners(0);
    this.queue = new DeployQueue((app, id, signal) => runDeployment(ctx, app, id, signal));
  }

  /** Sends an event to the `apps.events` subscribers. */
  emit(event: AppEvent): void {
    this.events.emit('event', event);
  }

  validateSpec(specYaml: string): SpecLoadResult {
    const result = loadAppSpec(specYaml);
    // Secret values never travel back to a screen.
    if (result.spec) {
      for (const c of result.spec.components) for (const e of c.envs) if (e.type === 'SECRET') e.value = '********';
    }
    return result;
  }

  private async readSpec(input: SpecInput): Promise<{ yaml: string; sourcePath: string }> {
    if ('specPath' in input) {
      const file = path.resolve(input.specPath);
      const yaml = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new SlipwayError('INVALID_REQUEST', `specPath: cannot read ${file} (${err.code ?? err.message}).`, {
          issues: [{ path: 'specPath', message: `cannot read ${file}` }],
        });
      });
      return { yaml, sourcePath: await checkSourceFolder(sourceRootForSpec(file), 'specPath') };
    }
    return { yaml: input.specYaml, sourcePath: await checkSourceFolder(input.sourcePath, 'sourcePath') };
  }

  private loadOrThrow(yaml: string) {
    const result = loadAppSpec(yaml);
    if (!result.spec) {
      const summary = result.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('\n');
      throw new SlipwayError('SPEC_INVALID', `The app spec has ${result.errors.length} error(s):\n${summary}`, {
        errors: result.errors,
        warnings: result.warnings,
      });
    }
    return { spec: result.spec, warnings: result.warnings };
  }

  async create(input: SpecInput & { hostPorts?: Record<string, number> }): Promise<AppDetail> {
    const { yaml, sourcePath } = await this.readSpec(input);
    const { spec } = this.loadOrThrow(yaml);
    if (this.findApp(spec.name)) {
      throw new SlipwayError('APP_EXISTS', `An app named ${spec.name} exists already; update it instead.`, {
        app: spec.name,
      });
    }
    this.checkHostPorts(
      spec.name,
      spec.components.map((c) => c.name),
      input.hostPorts ?? {},
    );
    const now = new Date().toISOString();
    const record: AppRecord = {
      name: spec.name,
      server: this.ctx.host.name,
      specYaml: sealSpecSecrets(yaml, this.ctx.secrets),
      sourcePath,
      hostPorts: { ...(input.hostPorts ?? {}) },
      createdAt: now,
      updatedAt: now,
    };
    await this.ctx.store.update((state) => state.apps.push(record));
    this.emit({ type: 'app', app: this.summary(record) });
    return this.detail(record);
  }

  async update(input: SpecInput & { app: string; hostPorts?: Record<string, number> }): Promise<AppDetail> {
    const record = this.appOrThrow(input.app);
    const { yaml, sourcePath } = await this.readSpec(input);
    const { spec } = this.loadOrThrow(yaml);
    if (spec.name !== record.name) {
      throw new SlipwayError(
        'INVALID_REQUEST',
        `name: the spec names ${spec.name}, but this is ${record.name}; an app cannot be renamed.`,
        {
          issues: [{ path: 'name', message: 'cannot change' }],
        },
      );
    }
    const hostPorts = { ...record.hostPorts, ...(input.hostPorts ?? {}) };
    this.checkHostPorts(
      record.name,
      spec.components.map((c) => c.name),
      hostPorts,
    );
    await this.ctx.store.update(() => {
      record.specYaml = sealSpecSecrets(yaml, this.ctx.secrets);
      record.sourcePath = sourcePath;
      record.hostPorts = hostPorts;
      record.updatedAt = new Date().toISOString();
    });
    this.emit({ type: 'app', app: this.summary(record) });
    return this.detail(record);
  }

  private checkHostPorts(app: string, components: string[], hostPorts: Record<string, number>) {
    for (const [component, port] of Object.entries(hostPorts)) {
      if (!components.includes(component)) {
        throw new SlipwayError('INVALID_REQUEST', `hostPorts.${component}: the spec has no component ${component}.`);
      }
      const taken = this.ctx.store.state.apps.find((a) => a.name !== app && Object.values(a.hostPorts).includes(port));
      if (taken) {
        throw new SlipwayError('INVALID_REQUEST', `hostPorts.${component}: port ${port} is used by app ${taken.name}.`);
      }
    }
  }

  list(): AppSummary[] {
    return this.ctx.store.state.apps.map((a) => this.summary(a));
  }

  get(app: string): AppDetail {
    return this.detail(this.appOrThrow(app));
  }

  async delete(app: string): Promise<{ deleted: string }> {
    const record = this.appOrThrow(app);
    this.queue.clearWaiting(app);
    this.queue.abortRunning(app, 'The app is being deleted');
    await this.queue.idle(app);
    await this.ctx.edge.removeRoutesWithPrefix(`${app}/`);
    const host = this.ctx.host;
    const containers = await listSlipwayContainers(host, app);
    await removeContainers(
      host,
      containers.map((c) => c.Id),
      5,
    );
    await this.removeAppImages(app);
    const networks = await host.docker.listNetworks({ filters: labelFilter(app) });
    for (const n of networks.filter((n) => n.Name === networkName(app))) {
      await host.docker
        .getNetwork(n.Id)
        .remove()
        .catch(() => undefined);
    }
    await this.ctx.store.update((state) => {
      state.apps = state.apps.filter((a) => a.name !== app);
      state.deployments = state.deployments.filter((d) => d.app !== app);
    });
    await this.ctx.logs.removeApp(app);
    await rm(path.join(this.ctx.dataDir, 'cache', 'git', app), { recursive: true, force: true });
    this.emit({ type: 'app-deleted', app });
    return { deleted: record.name };
  }

  /** Removes every image tag Slipway made for an app, and the images only Slipway used. */
  private async removeAppImages(app: string) {
    const images = await this.ctx.host.docker.listImages({ filters: { reference: [`slipway/${app}-*`] } });
    for (const image of images) {
      for (const tag of image.RepoTags ?? []) {
        if (tag.startsWith(`slipway/${app}-`))
          await this.ctx.host.docker
            .getImage(tag)
            .remove()
            .catch(() => undefined);
      }
    }
  }

  async deploy(request: {
    app: string;
    source: 'latest' | 'same-revision';
    forceRebuild: boolean;
    clearCache: boolean;
  }) {
    const record = this.appOrThrow(request.app);
    const spec = loadStoredSpec(record.specYaml).spec;
    if (!spec) throw new SlipwayError('SPEC_INVALID', `The stored spec of ${record.name} no longer loads; update it.`);
    if (request.source === 'same-revision' && !this.ctx.liveDeployment(record.name)) {
      throw new SlipwayError('DEPLOYMENT_NOT_FOUND', `${record.name} has no live deployment to redeploy.`);
    }
    const cause = request.forceRebuild ? 'force rebuild' : request.source === 'same-revision' ? 'redeploy' : 'manual';
    const now = new Date().toISOString();
    const deployment: Deployment = {
      id: newDeploymentId(),
      app: record.name,
      cause,
      phase: 'PENDING_BUILD',
      specYaml: record.specYaml,
      sourceRevision: null,
      images: {},
      containers: {},
      endpoints: [],
      progress: initialSteps(spec),
      options: { forceRebuild: request.forceRebuild, clearCache: request.clearCache },
      createdAt: now,
      updatedAt: now,
    };
    await this.ctx.store.update((state) => state.deployments.push(deployment));
    this.emit({ type: 'deployment', deployment });
    this.queue.enqueue(record.name, deployment.id);
    return deployment;
  }

  listDeployments(app: string): Deployment[] {
    this.appOrThrow(app);
    return this.ctx.store.state.deployments.filter((d) => d.app === app).reverse();
  }

  getDeployment(app: string, id: string): Deployment {
    const found = this.ctx.store.state.deployments.find((d) => d.app === app && d.id === id);
    if (!found)
      throw new SlipwayError('DEPLOYMENT_NOT_FOUND', `${app} has no deployment ${id}.`, { app, deployment: id });
    return found;
  }

  /** The deployment logs are read from: the one named, else the latest. */
  private logDeployment(app: string, id?: string): Deployment | undefined {
    if (id) return this.getDeployment(app, id);
    return this.listDeployments(app)[0];
  }

  async readLogs(request: { app: string; type: LogType; component?: string; deployment?: string; tail?: number }) {
    this.appOrThrow(request.app);
    if (request.type === 'run') {
      const source = request.deployment
        ? this.getDeployment(request.app, request.deployment)
        : this.ctx.liveDeployment(request.app);
      if (!source) return [];
      return readRunLogs(this.ctx.host, source, request.component, request.tail ?? 1000);
    }
    const deployment = this.logDeployment(request.app, request.deployment);
    if (!deployment) return [];
    const filter = request.component ? { type: request.type, component: request.component } : { type: request.type };
    return this.ctx.logs.read(request.app, deployment.id, filter, request.tail);
  }

  followLogs(
    request: { app: string; type: LogType; component?: string; deployment?: string },
    emit: (lines: LogLine[]) => void,
  ): Unsubscribe {
    this.appOrThrow(request.app);
    if (request.type === 'run') {
      const source = request.deployment
        ? this.getDeployment(request.app, request.deployment)
        : this.ctx.liveDeployment(request.app);
      if (!source) return () => undefined;
      return followRunLogs(this.ctx.host, source, request.component, emit);
    }
    const filter = request.component ? { type: request.type, component: request.component } : { type: request.type };
    return this.ctx.logs.follow(request.app, request.deployment, filter, emit);
  }

  subscribe(app: string | undefined, emit: (event: AppEvent) => void): Unsubscribe {
    const listener = (event: AppEvent) => {
      const about =
        event.type === 'app' ? event.app.name : event.type === 'app-deleted' ? event.app : event.deployment.app;
      if (!app || about === app) emit(event);
    };
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  findApp(name: string): AppRecord | undefined {
    return this.ctx.store.state.apps.find((a) => a.name === name);
  }

  private appOrThrow(name: string): AppRecord {
    const app = this.findApp(name);
    if (!app) throw new SlipwayError('APP_NOT_FOUND', `There is no app named ${name}.`, { app: name });
    return app;
  }

  /** The app's status, derived from its deployments: never stored, so it cannot drift. */
  private status(app: AppRecord): AppStatus {
    const deployments = this.ctx.store.state.deployments.filter((d) => d.app === app.name);
    if (deployments.some((d) => RUNNING_PHASES.includes(d.phase))) return 'deploying';
    if (deployments.some((d) => d.phase === 'ACTIVE')) return 'live';
    const last = deployments.filter((d) => FINISHED_PHASES.includes(d.phase)).at(-1);
    if (last?.phase === 'ERROR') return 'error';
    return deployments.length === 0 ? 'new' : 'stopped';
  }

  summary(app: AppRecord): AppSummary {
    const live = this.ctx.liveDeployment(app.name);
    const active = this.ctx.store.state.deployments.find((d) => d.app === app.name && RUNNING_PHASES.includes(d.phase));
    const spec = loadStoredSpec(app.specYaml).spec;
    return {
      name: app.name,
      server: app.server,
      status: this.status(app),
      components: (spec?.components ?? []).map((c) => ({
        name: c.name,
        kind: c.kind,
        instanceCount: c.instanceCount,
        url:
          c.kind === 'service' && app.hostPorts[c.name]
            ? `http://${this.ctx.host.publicHost}:${app.hostPorts[c.name]}`
            : null,
      })),
      liveDeployment: live
        ? { id: live.id, cause: live.cause, sourceRevision: live.sourceRevision, createdAt: live.createdAt }
        : null,
      activeDeployment: active ? { id: active.id, cause: active.cause, phase: active.phase } : null,
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
    };
  }

  private detail(app: AppRecord): AppDetail {
    return {
      ...this.summary(app),
      specYaml: maskSpecSecrets(app.specYaml),
      sourcePath: app.sourcePath,
      warnings: loadStoredSpec(app.specYaml).warnings,
    };
  }

  /** Tags of deployments beyond the ten most recent successful ones are removed (by tag: never an image without ours). */
  async pruneImages(app: string): Promise<void> {
    const successful = this.ctx.store.state.deployments.filter(
      (d) => d.app === app && (d.phase === 'ACTIVE' || d.phase === 'SUPERSEDED'),
    );
    for (const old of successful.slice(0, Math.max(0, successful.length - RETAINED_DEPLOYMENTS))) {
      await this.removeDeploymentImages(old);
    }
  }

  async removeDeploymentImages(deployment: Deployment): Promise<void> {
    for (const image of Object.values(deployment.images)) {
      await this.ctx.host.docker
        .getImage(image.tag)
        .remove()
        .catch(() => undefined);
    }
  }

  /** Ends deployments a crash left running, and points the edge at every live deployment again. */
  async reconcile(): Promise<void> {
    const interrupted = this.ctx.store.state.deployments.filter((d) => RUNNING_PHASES.includes(d.phase));
    for (const d of interrupted) {
      const own = await listSlipwayContainers(this.ctx.host, d.app, d.id);
      await removeContainers(
        this.ctx.host,
        own.map((c) => c.Id),
        2,
      );
      await this.ctx.saveDeployment(d, (x) => {
        x.phase = 'ERROR';
        x.finishedAt = new Date().toISOString();
        x.error = { code: 'DEPLOY_FAILED', message: 'Interrupted: Slipway stopped while this deployment ran.' };
      });
    }
    for (const app of this.ctx.store.state.apps) {
      const live = this.ctx.liveDeployment(app.name);
      if (!live) continue;
      for (const endpoint of live.endpoints) {
        const ids = live.containers[endpoint.component] ?? [];
        const ports: number[] = [];
        for (const id of ids) {
          const info = await this.ctx.host.docker
            .getContainer(id)
            .inspect()
            .catch(() => null);
          const spec = info?.NetworkSettings.Ports ?? {};
          const binding = Object.values(spec).find((b) => b && b[0]?.HostPort)?.[0]?.HostPort;
          if (info?.State.Running && binding) ports.push(Number(binding));
        }
        await this.ctx.edge
          .setRoute(
            routeKey(app.name, endpoint.component),
            endpoint.hostPort,
            ports.map((port) => ({ port, connect: () => this.ctx.host.connectLoopback(port) })),
          )
          .catch(() => undefined);
      }
    }
  }
}
