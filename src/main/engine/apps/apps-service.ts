import type { AppDetail, AppEvent, AppSummary, RollbackPreview } from '../../../shared/domains/apps';
import { RUNNING_PHASES, type Deployment, type LogLine } from '../../../shared/deployment';
import type { SpecLoadResult } from '../../../shared/spec/app-spec';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import { engineAnswers } from '../docker/docker-errors';
import type { EngineContext } from '../engine-context';
import { runDeployment } from '../deploy/deployment-runner';
import { DeployQueue } from '../deploy/deploy-queue';
import type { AppRecord } from '../store/state-store';
import { AppEvents } from './app-events';
import { appOrThrow, findApp, getDeployment, listDeployments } from './app-lookup';
import { followLogs, readLogs, type LogRequest } from './app-logs';
import type { AppsScope } from './apps-scope';
import { appDetail, summarizeApp } from './app-views';
import { clearDeployments } from './clear-deployments';
import { ContainerWatch } from './container-watch';
import { deleteApp } from './delete-app';
import { deploy, restart, rollback } from './deployment-commands';
import { cancel, cleanQueue, killBuild, queueOf } from './queue-control';
import { reconcile } from './reconcile';
import { WhenBack } from './when-back';
import { rollbackPreview, rollbackTargets } from './rollback-targets';
import {
  createApp,
  updateApp,
  validateSpec,
  type CreateAppInput,
  type SpecInput,
  type UpdateAppInput,
} from './spec-intake';
import { planSpec } from './plan-spec';
import type { SpecPlanResult } from '../../../shared/build-plan';

/**
 * Implements the `apps` domain: apps, their deployments and their logs. Each
 * entry is answered by the module named for it; this class holds what they
 * share (the queue, the container watch, the events).
 */
export class AppsService {
  private readonly events = new AppEvents();
  readonly scope: AppsScope; // public: the router hands it to the modules this facade does not wrap
  readonly queue: DeployQueue;

  /** What Docker says about Slipway's containers, live. */
  readonly watch: ContainerWatch;
  private readonly whenBack = new WhenBack();
  private reconciling: Promise<void> = Promise.resolve();
  private readonly openedAt = new Date().toISOString();

  constructor(private readonly ctx: EngineContext) {
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
    this.scope = {
      ctx,
      queue: this.queue,
      emit: (event) => this.emit(event),
      summary: (app) => this.summary(app),
    };
  }

  /** Sends an event to the `apps.events` subscribers. */
  emit(event: AppEvent): void {
    this.events.emit(event);
  }

  subscribe(app: string | undefined, emit: (event: AppEvent) => void): Unsubscribe {
    return this.events.subscribe(app, emit);
  }

  validateSpec(specYaml: string, sourcePath?: string): SpecLoadResult {
    return validateSpec(specYaml, sourcePath);
  }

  planSpec(input: SpecInput): Promise<SpecPlanResult> {
    return planSpec(this.ctx, input);
  }

  create(input: CreateAppInput): Promise<AppDetail> {
    return createApp(this.scope, input);
  }

  update(input: UpdateAppInput): Promise<AppDetail> {
    return updateApp(this.scope, input);
  }

  list(): AppSummary[] {
    return this.ctx.store.state.apps.map((a) => this.summary(a));
  }

  get(app: string): AppDetail {
    const record = appOrThrow(this.ctx, app);
    return appDetail(this.summary(record), record);
  }

  delete(app: string, deleteData = false): ReturnType<typeof deleteApp> {
    return deleteApp(this.scope, app, deleteData);
  }

  deploy(request: {
    app: string;
    source: 'latest' | 'same-revision';
    forceRebuild: boolean;
    clearCache: boolean;
  }): Promise<Deployment> {
    return deploy(this.scope, request);
  }

  /** Queues a rolling restart of the named components (all services and workers when none are named). */
  restart(request: { app: string; components?: string[] }): Promise<Deployment> {
    return restart(this.scope, request);
  }

  rollbackTargets(app: string): Deployment[] {
    return rollbackTargets(this.ctx, app);
  }

  rollbackPreview(request: { app: string; deployment?: string }): Promise<RollbackPreview> {
    return rollbackPreview(this.ctx, request);
  }

  rollback(request: { app: string; deployment?: string; skipPin?: boolean }): Promise<Deployment> {
    return rollback(this.scope, request);
  }

  cancel(request: { app: string; by: string }): Promise<Deployment> {
    return cancel(this.scope, request);
  }

  killBuild(request: { app: string; by: string }): Promise<Deployment> {
    return killBuild(this.scope, request);
  }

  queueOf(app: string): { running: Deployment | null; waiting: Deployment[] } {
    return queueOf(this.scope, app);
  }

  cleanQueue(request: { app: string; by: string }): Promise<{ dropped: string[] }> {
    return cleanQueue(this.scope, request);
  }

  clearDeployments(app: string): Promise<{ removed: string[] }> {
    return clearDeployments(this.scope, app);
  }

  listDeployments(app: string): Deployment[] {
    return listDeployments(this.ctx, app);
  }

  getDeployment(app: string, id: string): Deployment {
    return getDeployment(this.ctx, app, id);
  }

  readLogs(request: LogRequest & { tail?: number }) {
    return readLogs(this.ctx, request);
  }

  followLogs(request: LogRequest, emit: (lines: LogLine[]) => void): Promise<Unsubscribe> {
    return followLogs(this.ctx, request, emit);
  }

  findApp(name: string): AppRecord | undefined {
    return findApp(this.ctx, name);
  }

  /** What a card shows of an app (see `appSummary`). */
  summary(app: AppRecord): AppSummary {
    return summarizeApp(this.ctx, this.watch, app);
  }

  /** Tells subscribers the summary of every app on a server: after its engine was lost or came back. */
  emitSummaries(server: string): void {
    for (const app of this.ctx.store.state.apps.filter((a) => a.server === server)) {
      this.emit({ type: 'app', app: this.summary(app) });
    }
  }

  /** Reconciles once the Docker engines of a server's apps answer again (see EngineContext.reconcileWhenBack). */
  reconcileWhenBack(server: string): void {
    this.whenBack.wait(
      server,
      async () => {
        // An offline server is reconciled when its connection is back (ServersService's onReconnect).
        if (!this.ctx.serverAnswers(server)) return false;
        const host = await this.ctx.hostFor(server);
        return (
          (await engineAnswers(host)) && (host === this.ctx.localHost || (await engineAnswers(this.ctx.localHost)))
        );
      },
      async () => {
        await this.reconcile();
        this.emitSummaries(server);
      },
    );
  }

  /** Stops following engines: the container watch and any wait for an engine to come back. */
  stopWatching(): void {
    this.watch.stop();
    this.whenBack.stop();
  }

  /** Makes records and labelled containers agree (see reconcile.ts); one at a time, the engine's watch and waits may both ask. */
  reconcile(): Promise<void> {
    const run = this.reconciling.then(() =>
      reconcile(
        this.ctx,
        (id) => this.queue.running(this.deploymentApp(id)) === id || this.isWaiting(id) || this.madeHere(id),
        (id, running) => this.watch.setRunning(id, running),
      ),
    );
    this.reconciling = run.catch(() => undefined);
    return run;
  }

  /**
   * Made by this engine: one that is not in its queue yet is being written (enqueue), never one a
   * crash interrupted, which only an earlier engine can have left.
   */
  private madeHere(id: string): boolean {
    const d = this.ctx.store.state.deployments.find((x) => x.id === id);
    return d !== undefined && RUNNING_PHASES.includes(d.phase) && d.createdAt >= this.openedAt;
  }

  private deploymentApp(id: string): string {
    return this.ctx.store.state.deployments.find((d) => d.id === id)?.app ?? '';
  }

  private isWaiting(id: string): boolean {
    return this.queue.waiting(this.deploymentApp(id)).includes(id);
  }
}
