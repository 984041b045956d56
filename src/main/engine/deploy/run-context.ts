import type { Deployment, DeploymentPhase } from '../../../shared/deployment';
import type { AppSpec } from '../../../shared/spec/app-spec';
import type { EngineContext } from '../engine-context';
import type { DockerHost } from '../hosts/docker-host';
import type { DeploymentLogWriter } from '../logs/deployment-logs';
import type { AppRecord } from '../store/state-store';
import type { DeployTimeUrls } from './component-env';
import { markStep } from './step-tree';

/** Where an app's images are built: on its server, unless it builds here and ships them (no registry). */
export function builderOf(ctx: EngineContext, app: AppRecord, host: DockerHost): DockerHost {
  return app.server !== 'local' && app.buildMode === 'local' ? ctx.localHost : host;
}

/**
 * What one running deployment works with, and what it has made so far: the
 * parts of a deployment (build, start, restart, finalize, cleanup) share it.
 */
export class RunContext {
  /** Containers this deployment started: what a failure removes. */
  readonly started: string[] = [];
  /** Restart only: fresh instances already serving, which a later failure must leave in place. */
  readonly serving = new Set<string>();
  /** Layers the build created, and the container of its running step: what a cancel or kill removes. */
  readonly layers: string[] = [];
  stepContainer: string | null = null;
  /** True once the routes point at this deployment's instances (not for a restart, whose steps are its own). */
  switched = false;
  /** The public URLs that `${APP_URL}` and `${<service>.PUBLIC_URL}` stand for. */
  readonly urls: DeployTimeUrls = { publicUrls: new Map() };
  /** The app's network, once made; null for a lone component on Docker's default bridge. */
  network: string | null = null;

  constructor(
    readonly ctx: EngineContext,
    /** Where this app runs: this machine's engine or a server's. */
    readonly host: DockerHost,
    readonly app: AppRecord,
    readonly deployment: Deployment,
    readonly spec: AppSpec,
    readonly log: DeploymentLogWriter,
    readonly signal: AbortSignal,
  ) {}

  /** Where its images are built: `host`, or this machine when they are shipped. */
  get builder(): DockerHost {
    return builderOf(this.ctx, this.app, this.host);
  }

  get edge() {
    return this.ctx.edgeFor(this.app.server);
  }

  async step(name: string, status: 'RUNNING' | 'SUCCESS' | 'ERROR' | 'SKIPPED', reason?: string) {
    await this.ctx.saveDeployment(this.deployment, (d) => markStep(d.progress, name, status, reason));
  }

  async phase(phase: DeploymentPhase) {
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.phase = phase;
    });
  }

  checkCanceled() {
    if (this.signal.aborted) throw this.signal.reason;
  }

  async recordImage(component: string, tag: string, id: string, built: boolean) {
    await this.ctx.saveDeployment(this.deployment, (d) => {
      d.images[component] = { tag, id, built };
    });
  }
}
