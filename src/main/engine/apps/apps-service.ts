import { EventEmitter } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppDetail, AppEvent, AppSummary, RollbackPreview } from '../../../shared/domains/apps';
import type { Deployment, LogLine, LogType } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import type { AppSpec, SpecLoadResult } from '../../../shared/spec/app-spec';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import { listSlipwayContainers, removeContainers } from '../docker/containers';
import type { DockerHost } from '../hosts/docker-host';
import { isOwnedBy, labelFilter, networkName } from '../docker/labels';
import { followRunLogs, readRunLogs } from '../docker/run-logs';
import type { EngineContext } from '../engine-context';
import { newDeploymentId } from '../deploy/deployment-id';
import { runDeployment } from '../deploy/deployment-runner';
import { closeOpenSteps, initialSteps, restartSteps } from '../deploy/step-tree';
import { DeployQueue, DeploymentStop } from '../deploy/deploy-queue';
import { appSummary } from './app-summary';
import { ContainerWatch } from './container-watch';
import { reconcile } from './reconcile';
import { retainedDeployments } from '../deploy/retention';
import { appImageTags, removeImagesQuietly } from '../docker/images';
import { previewRollback } from './rollback-preview';
import { keepMaskedSecrets, maskSpecSecrets, sealSpecSecrets } from '../secrets/seal-spec';
import type { AppRecord } from '../store/state-store';
import { checkSourceFolder, resolveSpecFile, sourceRootForSpec } from './source-path';
import { loadStoredSpec } from '../store/stored-spec';

type SpecInput = { specPath: string } | { specYaml: string; sourcePath?: string };

/** Implements the `apps` domain: apps, their deployments and their logs. */
export class AppsService {
  private readonly events = new EventEmitter();
  readonly queue: DeployQueue;

  /** What Docker says about Slipway's containers, live. */
  readonly watch: ContainerWatch;

  constructor(private readonly ctx: EngineContext) {
    this.events.setMaxListeners(0);
    this.watch = new ContainerWatch(
      ctx.localHost,
      (app) => {
        const record = this.findApp(app);
        if (record) this.emit({ type: 'app', app: this.summary(record) });
      },
      async () => {
        await this.reconcile();
        this.emitSummaries('local');
      },
      () => this.emitSummaries('local'),
    );
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

  /** The spec's text and the folder its local components build from (null when none was given). */
  private async readSpec(input: SpecInput): Promise<{ yaml: string; sourcePath: string | null }> {
    if ('specPath' in input) {
      const file = await resolveSpecFile(input.specPath);
      const yaml = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new SlipwayError('INVALID_REQUEST', `specPath: cannot read ${file} (${err.code ?? err.message}).`, {
          issues: [{ path: 'specPath', message: `cannot read ${file}` }],
        });
      });
      return { yaml, sourcePath: await checkSourceFolder(sourceRootForSpec(file), 'specPath') };
    }
    const sourcePath = input.sourcePath ? await checkSourceFolder(input.sourcePath, 'sourcePath') : null;
    return { yaml: input.specYaml, sourcePath };
  }

  /** Refuses a spec with components that build from a folder when no folder is known. */
  private requireSourceFolder(spec: AppSpec, sourcePath: string | null): void {
    const local = spec.components.filter((c) => c.source.type === 'local').map((c) => c.name);
    if (local.length === 0 || sourcePath) return;
    throw new SlipwayError(
      'INVALID_REQUEST',
      `sourcePath: ${local.join(', ')} ${local.length === 1 ? 'builds' : 'build'} from a folder on this machine (no git or image source); give that folder.`,
      { issues: [{ path: 'sourcePath', message: 'required: a component builds from a local folder' }] },
    );
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

  async create(
    input: SpecInput & { hostPorts?: Record<string, number>; server?: string; buildMode?: 'server' | 'local' },
  ): Promise<AppDetail> {
    if (
      input.server &&
      input.server !== 'local' &&
      !this.ctx.store.state.servers.some((s) => s.name === input.server)
    ) {
      throw new SlipwayError('SERVER_NOT_FOUND', `server: there is no server named ${input.server}; add it first.`, {
        issues: [{ path: 'server', message: 'unknown server' }],
      });
    }
    const { yaml, sourcePath } = await this.readSpec(input);
    const { spec } = this.loadOrThrow(yaml);
    this.requireSourceFolder(spec, sourcePath);
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
      server: input.server ?? 'local',
      ...(input.buildMode ? { buildMode: input.buildMode } : {}),
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
    const read = await this.readSpec(input);
    const yaml = read.yaml;
    // A spec edited in place keeps the app's folder.
    const sourcePath = read.sourcePath ?? record.sourcePath;
    const { spec } = this.loadOrThrow(yaml);
    this.requireSourceFolder(spec, sourcePath);
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
      // A screen never receives secret values: where it sends the mask back, the stored value stays.
      record.specYaml = sealSpecSecrets(keepMaskedSecrets(yaml, record.specYaml), this.ctx.secrets);
      record.sourcePath = sourcePath;
      record.hostPorts = hostPorts;
      record.updatedAt = new Date().toISOString();
    });
    this.emit({ type: 'app', app: this.summary(record) });
    return this.detail(record);
  }

  private checkHostPorts(app: string, components: string[], hostPorts: Record<string, number>) {
    const seen = new Map<number, string>();
    for (const [component, port] of Object.entries(hostPorts)) {
      const twin = seen.get(port);
      if (twin) {
        throw new SlipwayError('INVALID_REQUEST', `hostPorts.${component}: port ${port} is given to ${twin} already.`);
      }
      seen.set(port, component);
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
    this.queue.stopRunning(app, new DeploymentStop('cancel', 'deleting the app'));
    await this.queue.idle(app);
    await this.ctx.edgeFor(record.server).removeRoutesWithPrefix(`${app}/`);
    const host = await this.ctx.hostFor(record.server);
    const containers = await listSlipwayContainers(host, this.ctx.owner, app);
    await removeContainers(
      host,
      containers.map((c) => c.Id),
      5,
    );
    await removeImagesQuietly(host, await appImageTags(host, this.ctx.owner, app));
    // Images built here and shipped to a server leave their build behind on this machine.
    if (record.server !== 'local')
      await removeImagesQuietly(this.ctx.localHost, await appImageTags(this.ctx.localHost, this.ctx.owner, app));
    const networks = await host.docker.listNetworks({ filters: labelFilter(app) });
    for (const n of networks.filter((n) => n.Name === networkName(app) && isOwnedBy(this.ctx.owner, n.Labels))) {
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

  async deploy(request: {
    app: string;
    source: 'latest' | 'same-revision';
    forceRebuild: boolean;
    clearCache: boolean;
  }) {
    const record = this.appOrThrow(request.app);
    const spec = this.storedSpecOrThrow(record.specYaml, record.name);
    const live = this.ctx.liveDeployment(record.name);
    if (request.source === 'same-revision' && !live) {
      throw new SlipwayError('NOTHING_RUNNING', `${record.name} has no live deployment to redeploy.`);
    }
    // The revision is fixed now, so a redeploy that waits in the queue still builds what was live when asked.
    const revision = request.source === 'same-revision' ? (live?.sourceRevision ?? null) : null;
    return this.enqueue(record, {
      cause: request.forceRebuild ? 'force rebuild' : request.source === 'same-revision' ? 'redeploy' : 'manual',
      plan: { type: 'build', revision },
      specYaml: record.specYaml,
      progress: initialSteps(spec),
      options: { forceRebuild: request.forceRebuild, clearCache: request.clearCache },
    });
  }

  /** Queues a rolling restart of the named components (all services and workers when none are named). */
  async restart(request: { app: string; components?: string[] }) {
    const record = this.appOrThrow(request.app);
    const live = this.ctx.liveDeployment(record.name);
    if (!live) throw new SlipwayError('NOTHING_RUNNING', `${record.name} has nothing live to restart.`);
    const spec = this.storedSpecOrThrow(live.specYaml, record.name);
    const restartable = spec.components.filter((c) => c.kind !== 'job').map((c) => c.name);
    const components = request.components?.length ? request.components : restartable;
    const unknown = components.filter((c) => !restartable.includes(c));
    if (unknown.length > 0) {
      throw new SlipwayError(
        'INVALID_REQUEST',
        `components: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a running service or worker of ${record.name} (jobs are not restarted).`,
        { issues: [{ path: 'components', message: `unknown: ${unknown.join(', ')}` }] },
      );
    }
    return this.enqueue(record, {
      cause: 'restart',
      plan: { type: 'restart', components, base: live.id },
      specYaml: live.specYaml,
      progress: restartSteps(spec, components),
      options: { forceRebuild: false, clearCache: false },
    });
  }

  /** The deployments a rollback can go to: the ten most recent successful ones, newest first, but the live one. */
  rollbackTargets(app: string): Deployment[] {
    this.appOrThrow(app);
    const live = this.ctx.liveDeployment(app);
    return retainedDeployments(this.ctx.store.state.deployments, app)
      .filter((d) => d.id !== live?.id)
      .reverse();
  }

  private async rollbackTarget(app: string, id?: string): Promise<Deployment> {
    const targets = this.rollbackTargets(app);
    const target = id ? targets.find((d) => d.id === id) : targets[0];
    if (!target) {
      const known = id && this.ctx.store.state.deployments.some((d) => d.app === app && d.id === id);
      throw new SlipwayError(
        'ROLLBACK_UNAVAILABLE',
        id
          ? known
            ? `Deployment ${id} cannot be rolled back to: only the ten most recent successful deployments keep their images.`
            : `${app} has no deployment ${id}.`
          : `${app} has no earlier successful deployment to roll back to.`,
        { app, deployment: id ?? null },
      );
    }
    const host = await this.hostOf(app);
    for (const image of Object.values(target.images)) {
      const present = await host.docker
        .getImage(image.tag)
        .inspect()
        .then(
          () => true,
          () => false,
        );
      if (!present) {
        throw new SlipwayError(
          'ROLLBACK_UNAVAILABLE',
          `Deployment ${target.id} cannot be rolled back to: its image ${image.tag} is no longer on ${host.name}.`,
          { app, deployment: target.id, image: image.tag },
        );
      }
    }
    return target;
  }

  /** What a rollback would change: the spec diff and a summary (never a secret value). */
  async rollbackPreview(request: { app: string; deployment?: string }): Promise<RollbackPreview> {
    const target = await this.rollbackTarget(request.app, request.deployment);
    return previewRollback(this.ctx.liveDeployment(request.app) ?? null, target, this.ctx.secrets);
  }

  /** Queues a rollback: the target's images and spec, deployed again without building. */
  async rollback(request: { app: string; deployment?: string }) {
    const record = this.appOrThrow(request.app);
    const target = await this.rollbackTarget(record.name, request.deployment);
    const spec = this.storedSpecOrThrow(target.specYaml, record.name);
    return this.enqueue(record, {
      cause: `rollback to ${target.id}`,
      plan: { type: 'rollback', target: target.id },
      specYaml: target.specYaml,
      progress: initialSteps(spec),
      options: { forceRebuild: false, clearCache: false },
    });
  }

  /** Cancels the deployment in flight; the live version keeps serving. */
  async cancel(request: { app: string; by: string }): Promise<Deployment> {
    return this.stopRunning(request.app, new DeploymentStop('cancel', request.by));
  }

  /** Kills the app's running build (only its own build step), ending the deployment ERROR. */
  async killBuild(request: { app: string; by: string }): Promise<Deployment> {
    const running = this.queue.running(request.app);
    const deployment = running ? this.getDeployment(request.app, running) : null;
    if (!deployment || (deployment.phase !== 'BUILDING' && deployment.phase !== 'PENDING_BUILD')) {
      throw new SlipwayError('NOTHING_RUNNING', `${request.app} has no build running.`);
    }
    return this.stopRunning(request.app, new DeploymentStop('kill', request.by));
  }

  private async stopRunning(app: string, stop: DeploymentStop): Promise<Deployment> {
    this.appOrThrow(app);
    const id = this.queue.stopRunning(app, stop);
    if (!id) throw new SlipwayError('NOTHING_RUNNING', `${app} has no deployment in flight.`);
    await this.queue.settled(app, id);
    return this.getDeployment(app, id);
  }

  /** The deployment in flight and the ones waiting, in order. */
  queueOf(app: string): { running: Deployment | null; waiting: Deployment[] } {
    this.appOrThrow(app);
    const running = this.queue.running(app);
    return {
      running: running ? this.getDeployment(app, running) : null,
      waiting: this.queue.waiting(app).map((id) => this.getDeployment(app, id)),
    };
  }

  /** Drops the waiting deployments (never the running one); they end CANCELED. */
  async cleanQueue(request: { app: string; by: string }): Promise<{ dropped: string[] }> {
    this.appOrThrow(request.app);
    const dropped = this.queue.clearWaiting(request.app);
    const now = new Date().toISOString();
    for (const id of dropped) {
      await this.ctx.saveDeployment(this.getDeployment(request.app, id), (d) => {
        d.phase = 'CANCELED';
        d.finishedAt = now;
        d.canceled = { at: now, by: request.by };
        d.error = { code: 'CANCELED', message: `Removed from the queue by ${request.by}.` };
        closeOpenSteps(d.progress, 'SKIPPED', 'removed from the queue');
      });
    }
    return { dropped };
  }

  /** Removes the records and logs of deployments that are neither live, in flight, nor a rollback target. */
  async clearDeployments(app: string): Promise<{ removed: string[] }> {
    this.appOrThrow(app);
    const keep = new Set(retainedDeployments(this.ctx.store.state.deployments, app).map((d) => d.id));
    const running = this.queue.running(app);
    if (running) keep.add(running);
    for (const id of this.queue.waiting(app)) keep.add(id);
    const removed = this.ctx.store.state.deployments.filter((d) => d.app === app && !keep.has(d.id)).map((d) => d.id);
    await this.ctx.store.update((state) => {
      state.deployments = state.deployments.filter((d) => d.app !== app || keep.has(d.id));
    });
    for (const id of removed) await this.ctx.logs.remove(app, id);
    return { removed };
  }

  private storedSpecOrThrow(yaml: string, app: string) {
    const spec = loadStoredSpec(yaml).spec;
    if (!spec) throw new SlipwayError('SPEC_INVALID', `The stored spec of ${app} no longer loads; update it.`);
    return spec;
  }

  private async enqueue(
    record: AppRecord,
    parts: Pick<Deployment, 'cause' | 'plan' | 'specYaml' | 'progress' | 'options'>,
  ): Promise<Deployment> {
    const now = new Date().toISOString();
    const deployment: Deployment = {
      id: newDeploymentId(),
      app: record.name,
      ...parts,
      phase: 'PENDING_BUILD',
      sourceRevision: null,
      images: {},
      containers: {},
      endpoints: [],
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
      return readRunLogs(await this.hostOf(request.app), source, request.component, request.tail ?? 1000);
    }
    const deployment = this.logDeployment(request.app, request.deployment);
    if (!deployment) return [];
    const filter = request.component ? { type: request.type, component: request.component } : { type: request.type };
    return this.ctx.logs.read(request.app, deployment.id, filter, request.tail);
  }

  async followLogs(
    request: { app: string; type: LogType; component?: string; deployment?: string },
    emit: (lines: LogLine[]) => void,
  ): Promise<Unsubscribe> {
    const record = this.appOrThrow(request.app);
    const host = await this.hostOf(request.app);
    let ended = false;
    // A server's stream dies with its SSH connection: say so, so that a screen does not wait in silence.
    void host.closed.then(() => {
      if (ended) return;
      ended = true;
      emit([
        {
          type: request.type,
          time: new Date().toISOString(),
          line: `Connection to ${record.server} lost; this log stream has ended.`,
          notice: 'connection-lost',
        },
      ]);
    });
    const stop = await this.followLogsOn(host, request, emit);
    return () => {
      ended = true;
      stop();
    };
  }

  private async followLogsOn(
    host: DockerHost,
    request: { app: string; type: LogType; component?: string; deployment?: string },
    emit: (lines: LogLine[]) => void,
  ): Promise<Unsubscribe> {
    if (request.type === 'run') {
      const source = request.deployment
        ? this.getDeployment(request.app, request.deployment)
        : this.ctx.liveDeployment(request.app);
      if (!source) return () => undefined;
      return followRunLogs(host, source, request.component, emit);
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

  /** The Docker host an app runs on. */
  private hostOf(app: string): Promise<DockerHost> {
    return this.ctx.hostFor(this.findApp(app)?.server ?? 'local');
  }

  findApp(name: string): AppRecord | undefined {
    return this.ctx.store.state.apps.find((a) => a.name === name);
  }

  private appOrThrow(name: string): AppRecord {
    const app = this.findApp(name);
    if (!app) throw new SlipwayError('APP_NOT_FOUND', `There is no app named ${name}.`, { app: name });
    return app;
  }

  /** What a card shows of an app (see `appSummary`). */
  summary(app: AppRecord): AppSummary {
    const deployments = this.ctx.store.state.deployments.filter((d) => d.app === app.name);
    const answers = app.server === 'local' ? this.watch.connected : this.ctx.serverAnswers(app.server);
    return appSummary(app, deployments, (id) => this.watch.isRunning(id), answers);
  }

  /** Tells subscribers the summary of every app on a server: after its engine was lost or came back. */
  emitSummaries(server: string): void {
    for (const app of this.ctx.store.state.apps.filter((a) => a.server === server)) {
      this.emit({ type: 'app', app: this.summary(app) });
    }
  }

  private detail(app: AppRecord): AppDetail {
    return {
      ...this.summary(app),
      specYaml: maskSpecSecrets(app.specYaml),
      sourcePath: app.sourcePath,
      warnings: loadStoredSpec(app.specYaml).warnings,
    };
  }

  /** Makes records and labelled containers agree (see reconcile.ts). */
  async reconcile(): Promise<void> {
    await reconcile(
      this.ctx,
      (id) => this.queue.running(this.deploymentApp(id)) === id || this.isWaiting(id),
      (id, running) => this.watch.setRunning(id, running),
    );
  }

  private deploymentApp(id: string): string {
    return this.ctx.store.state.deployments.find((d) => d.id === id)?.app ?? '';
  }

  private isWaiting(id: string): boolean {
    return this.queue.waiting(this.deploymentApp(id)).includes(id);
  }
}
