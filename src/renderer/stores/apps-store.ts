import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppDetail, AppEvent, AppSummary } from '../../shared/domains/apps';
import { FINISHED_PHASES, type Deployment, type DeploymentPhase } from '../../shared/deployment';
import type { AppsClient } from '../client';
import { createLiveCollection, keepNewer, type LiveLoad } from './live-collection';

export type AppsLoad = LiveLoad;

export interface AppsState {
  load: AppsLoad;
  /** Every app by name, as the engine last said. */
  apps: Record<string, AppSummary>;
  /** Spec, source folder and warnings, for the apps whose detail was opened. */
  details: Record<string, AppDetail>;
  /** Deployments per app by id: the history once loaded, plus every change heard since. */
  deployments: Record<string, Record<string, Deployment>>;
  /** Apps whose whole history has been loaded. */
  historyLoaded: Record<string, boolean>;
  /** True while the engine's event stream is open. */
  live: boolean;
  /** Subscribes to app events and lists the apps; returns the function that stops. */
  start(): () => void;
  /** Lists the apps again: after a change that sends no app event (a server's edge enabled or disabled). */
  refresh(): Promise<void>;
  /** Loads (again) an app's detail: its spec in YAML with secrets masked. */
  loadDetail(app: string): Promise<AppDetail>;
  /** Loads an app's deployment history. */
  loadHistory(app: string): Promise<void>;
  /** Takes an answer that carries an app's detail (create, update) without waiting for its event. */
  putDetail(detail: AppDetail): void;
  /** Takes a deployment an action returned, without waiting for its event. */
  putDeployment(deployment: Deployment): void;
  /** Forgets deployments the engine removed (clearing old deployments sends no event). */
  forgetDeployments(app: string, ids: string[]): void;
}

/** Told when a deployment reaches a new phase that was seen happening (not loaded from history). */
export type PhaseListener = (deployment: Deployment, previous: DeploymentPhase) => void;

export interface AppsStore extends StoreApi<AppsState> {
  onPhaseChange(listener: PhaseListener): () => void;
}

const newer = (a: Deployment, b: Deployment | undefined) => !b || a.updatedAt >= b.updatedAt;
const newerSummary = (a: AppSummary, b: AppSummary) => a.updatedAt >= b.updatedAt;

/** Deployments of an app, newest first. */
export function sortedDeployments(byId: Record<string, Deployment> | undefined): Deployment[] {
  return Object.values(byId ?? {}).sort((a, b) =>
    a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt),
  );
}

export function isFinished(phase: DeploymentPhase): boolean {
  return FINISHED_PHASES.includes(phase);
}

/**
 * Apps and their deployments, fed by the engine's `apps.events` stream: the
 * list is asked for once, then every change arrives as an event (no polling).
 */
export function createAppsStore(client: AppsClient): AppsStore {
  const phaseListeners = new Set<PhaseListener>();

  const store = createStore<AppsState>()((set, get) => {
    function putDeployment(deployment: Deployment, observed: boolean): void {
      const byApp = get().deployments[deployment.app] ?? {};
      const previous = byApp[deployment.id];
      if (!newer(deployment, previous)) return;
      set({ deployments: { ...get().deployments, [deployment.app]: { ...byApp, [deployment.id]: deployment } } });
      if (observed && previous && previous.phase !== deployment.phase) {
        for (const listener of phaseListeners) listener(deployment, previous.phase);
      }
    }

    function putSummary(summary: AppSummary): void {
      const state = get();
      const detail = state.details[summary.name];
      set({
        apps: { ...state.apps, [summary.name]: summary },
        ...(detail ? { details: { ...state.details, [summary.name]: { ...detail, ...summary } } } : {}),
      });
      // The spec changed elsewhere (another window, the CLI): the detail is asked for again.
      if (detail && detail.updatedAt !== summary.updatedAt)
        void get()
          .loadDetail(summary.name)
          .catch(() => undefined);
    }

    function removeApp(name: string): void {
      const { apps, details, deployments, historyLoaded } = get();
      const without = <T>(record: Record<string, T>) => {
        const copy = { ...record };
        delete copy[name];
        return copy;
      };
      set({
        apps: without(apps),
        details: without(details),
        deployments: without(deployments),
        historyLoaded: without(historyLoaded),
      });
    }

    function onEvent(event: AppEvent): void {
      if (event.type === 'deployment') putDeployment(event.deployment, true);
      else if (event.type === 'app') putSummary(event.app);
      else removeApp(event.app);
    }

    const collection = createLiveCollection({
      subscribe: (listener: (event: AppEvent) => void) => client.apps.events({}, listener),
      list: () => client.apps.list({}),
      onEvent,
      // The engine lists from memory as it answers, so a summary heard before that is not newer: a tie
      // (a status change keeps `updatedAt`) goes to the list.
      onList: (list) => set({ apps: keepNewer(list, get().apps, (app) => app.name, newerSummary) }),
      onStatus: set,
    });

    return {
      load: { state: 'loading' },
      apps: {},
      details: {},
      deployments: {},
      historyLoaded: {},
      live: false,
      start: collection.start,
      refresh: collection.refresh,
      async loadDetail(app) {
        const detail = await client.apps.get({ app });
        set({ details: { ...get().details, [app]: detail }, apps: { ...get().apps, [app]: stripDetail(detail) } });
        return detail;
      },
      async loadHistory(app) {
        const history = await client.apps.listDeployments({ app });
        const byApp = { ...(get().deployments[app] ?? {}) };
        for (const deployment of history) {
          if (newer(deployment, byApp[deployment.id])) byApp[deployment.id] = deployment;
        }
        set({
          deployments: { ...get().deployments, [app]: byApp },
          historyLoaded: { ...get().historyLoaded, [app]: true },
        });
      },
      putDetail(detail) {
        set({
          details: { ...get().details, [detail.name]: detail },
          apps: { ...get().apps, [detail.name]: stripDetail(detail) },
        });
      },
      putDeployment(deployment) {
        putDeployment(deployment, false);
      },
      forgetDeployments(app, ids) {
        const byApp = { ...(get().deployments[app] ?? {}) };
        for (const id of ids) delete byApp[id];
        set({ deployments: { ...get().deployments, [app]: byApp } });
      },
    };
  });

  return Object.assign(store, {
    onPhaseChange(listener: PhaseListener) {
      phaseListeners.add(listener);
      return () => phaseListeners.delete(listener);
    },
  });
}

function stripDetail(detail: AppDetail): AppSummary {
  const { specYaml: _spec, sourcePath: _source, warnings: _warnings, ...summary } = detail;
  return summary;
}
