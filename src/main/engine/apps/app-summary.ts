import type { AppStatus, AppSummary } from '../../../shared/domains/apps';
import { deploymentAppRoute } from '../deploy/edge-routes';
import { FINISHED_PHASES, RUNNING_PHASES, type Deployment } from '../../../shared/deployment';
import { serviceUrl } from '../edge/service-url';
import type { AppRecord } from '../store/state-store';
import { loadStoredSpec } from '../store/stored-spec';
import { servesHttp } from '../../../shared/component-kinds';

/**
 * An app's status, derived from its deployments (in creation order), from
 * what Docker says of its containers and from whether its engine answers at
 * all: never stored, so it cannot drift.
 */
export function appStatus(
  deployments: readonly Deployment[],
  isRunning: (container: string) => boolean,
  hostAnswers = true,
): AppStatus {
  // Nothing said about the containers of an engine that does not answer would be known.
  if (!hostAnswers && deployments.length > 0) return 'unreachable';
  if (deployments.some((d) => RUNNING_PHASES.includes(d.phase))) return 'deploying';
  const live = deployments.find((d) => d.phase === 'ACTIVE');
  if (live) {
    const ids = Object.values(live.containers).flat();
    const up = ids.filter(isRunning).length;
    return up === ids.length ? 'live' : up === 0 ? 'stopped' : 'degraded';
  }
  // A deployment dropped from the queue never ran: it says nothing of the app's state.
  const last = deployments.filter((d) => FINISHED_PHASES.includes(d.phase) && d.phase !== 'DROPPED').at(-1);
  if (last?.phase === 'ERROR') return 'error';
  return deployments.length === 0 ? 'new' : 'stopped';
}

/** The newest deployment that failed after the live one went live (or at all, when nothing is live). */
export function failedSinceLive(deployments: readonly Deployment[]): Deployment | undefined {
  const live = deployments.findIndex((d) => d.phase === 'ACTIVE');
  return deployments
    .slice(live + 1)
    .filter((d) => d.phase === 'ERROR')
    .at(-1);
}

/** The public URLs the live deployment's endpoint of a component has on its server's edge, if any. */
export function publicUrlsOf(live: Deployment | undefined, component: string): { publicUrls?: string[] } {
  const urls = live?.endpoints.find((e) => e.component === component)?.publicUrls;
  return urls && urls.length > 0 ? { publicUrls: urls } : {};
}

/** The app's own URL, routed by path, when its live version has one (an edited spec changes it only once deployed). */
function appUrlOf(app: AppRecord, live: Deployment | undefined): { url?: string } {
  const route = live ? deploymentAppRoute(app, live) : null;
  return route ? { url: serviceUrl(route.port) } : {};
}

/** What a card shows of an app: status, components, the live, running and last failed deployments. */
export function appSummary(
  app: AppRecord,
  deployments: readonly Deployment[],
  isRunning: (container: string) => boolean,
  hostAnswers = true,
): AppSummary {
  const live = deployments.find((d) => d.phase === 'ACTIVE');
  const active = deployments.find((d) => RUNNING_PHASES.includes(d.phase));
  const failed = failedSinceLive(deployments);
  const spec = loadStoredSpec(app.specYaml).spec;
  return {
    name: app.name,
    server: app.server,
    status: appStatus(deployments, isRunning, hostAnswers),
    components: (spec?.components ?? []).map((c) => ({
      name: c.name,
      kind: c.kind,
      instanceCount: c.instanceCount,
      url: servesHttp(c) && app.hostPorts[c.name] ? serviceUrl(app.hostPorts[c.name]!) : null,
      ...publicUrlsOf(live, c.name),
    })),
    ...appUrlOf(app, live),
    liveDeployment: live
      ? { id: live.id, cause: live.cause, sourceRevision: live.sourceRevision, createdAt: live.createdAt }
      : null,
    activeDeployment: active ? { id: active.id, cause: active.cause, phase: active.phase } : null,
    failedDeployment: failed
      ? {
          id: failed.id,
          cause: failed.cause,
          createdAt: failed.createdAt,
          message: failed.error?.message ?? 'The deployment failed.',
        }
      : null,
    ...(app.pin
      ? { pinned: { deployment: app.pin.deployment, target: app.pin.target, previous: app.pin.previous } }
      : {}),
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}
