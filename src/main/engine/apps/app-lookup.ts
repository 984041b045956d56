import type { Deployment } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import type { AppSpec } from '../../../shared/spec/app-spec';
import type { EngineContext } from '../engine-context';
import type { DockerHost } from '../hosts/docker-host';
import type { AppRecord } from '../store/state-store';
import { loadStoredSpec } from '../store/stored-spec';

/** The stored app of that name, if any. */
export function findApp(ctx: EngineContext, name: string): AppRecord | undefined {
  return ctx.store.state.apps.find((a) => a.name === name);
}

/** The stored app of that name, or APP_NOT_FOUND. */
export function appOrThrow(ctx: EngineContext, name: string): AppRecord {
  const app = findApp(ctx, name);
  if (!app) throw new SlipwayError('APP_NOT_FOUND', `There is no app named ${name}.`, { app: name });
  return app;
}

/** An app's deployments, newest first. */
export function listDeployments(ctx: EngineContext, app: string): Deployment[] {
  appOrThrow(ctx, app);
  return ctx.store.state.deployments.filter((d) => d.app === app).reverse();
}

/** One deployment of an app, or DEPLOYMENT_NOT_FOUND. */
export function getDeployment(ctx: EngineContext, app: string, id: string): Deployment {
  const found = ctx.store.state.deployments.find((d) => d.app === app && d.id === id);
  if (!found)
    throw new SlipwayError('DEPLOYMENT_NOT_FOUND', `${app} has no deployment ${id}.`, { app, deployment: id });
  return found;
}

/** The Docker host an app runs on. */
export function hostOf(ctx: EngineContext, app: string): Promise<DockerHost> {
  return ctx.hostFor(findApp(ctx, app)?.server ?? 'local');
}

/** A stored spec (the app's, or a deployment's snapshot), or SPEC_INVALID when it no longer loads. */
export function storedSpecOrThrow(yaml: string, app: string): AppSpec {
  const spec = loadStoredSpec(yaml).spec;
  if (!spec) throw new SlipwayError('SPEC_INVALID', `The stored spec of ${app} no longer loads; update it.`);
  return spec;
}
