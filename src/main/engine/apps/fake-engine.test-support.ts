// Fakes for the apps modules' unit tests: an in-memory state, Docker hosts whose calls are stubs, a queue the test drives.
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { AppEvent } from '../../../shared/domains/apps';
import type { Deployment, DeploymentPhase } from '../../../shared/deployment';
import { DeployQueue } from '../deploy/deploy-queue';
import type { ServiceRouter } from '../edge/service-router';
import type { EngineContext } from '../engine-context';
import type { DockerHost } from '../hosts/docker-host';
import type { DeploymentLogs } from '../logs/deployment-logs';
import { aesGcmBox } from '../secrets/secret-box';
import { SCHEMA_VERSION, type AppRecord, type SlipwayState, type StateStore } from '../store/state-store';
import type { AppsScope } from './apps-scope';
import { summarizeApp } from './app-views';

/** A spec of two services, a worker and a pre-deploy job, all from images: nothing is built from a folder. */
export const SHOP_SPEC = `name: shop
services:
  - name: web
    image:
      registry_type: DOCKER_HUB
      repository: nginx
  - name: api
    image:
      registry_type: DOCKER_HUB
      repository: nginx
workers:
  - name: worker
    image:
      registry_type: DOCKER_HUB
      repository: busybox
jobs:
  - name: migrate
    kind: PRE_DEPLOY
    image:
      registry_type: DOCKER_HUB
      repository: busybox
`;

/** A StateStore in memory: changes apply at once, and the number of writes is counted. */
export function memoryStore(initial: Partial<SlipwayState> = {}): StateStore & { writes: number } {
  const state: SlipwayState = { schemaVersion: SCHEMA_VERSION, apps: [], deployments: [], servers: [], ...initial };
  const store = {
    writes: 0,
    get state() {
      return state;
    },
    async update<T>(change: (s: SlipwayState) => T): Promise<T> {
      const result = change(state);
      store.writes++;
      return result;
    },
    note(change: (s: SlipwayState) => void) {
      change(state);
      store.writes++;
    },
    flushed: async () => undefined,
    close: async () => undefined,
  };
  return store;
}

/** A Docker host whose only images are those named; every other Docker call fails the test. */
export function fakeHost(name: string, images: Iterable<string> = []): DockerHost & { images: Set<string> } {
  const present = new Set(images);
  const docker = {
    getImage: (tag: string) => ({
      inspect: () => (present.has(tag) ? Promise.resolve({ Id: tag }) : Promise.reject(new Error('no such image'))),
    }),
  };
  return {
    name,
    images: present,
    docker: docker as unknown as Docker,
    connectLoopback: () => Promise.reject(new Error('no loopback in unit tests')),
    closed: new Promise<void>(() => undefined),
    connected: true,
    close: async () => undefined,
  };
}

export interface FakeEngine {
  ctx: EngineContext;
  store: ReturnType<typeof memoryStore>;
  host: ReturnType<typeof fakeHost>;
  /** The logs removed, as `app/id`. */
  removedLogs: string[];
  /** The deployment log lines written, as `app/id type: line`. */
  writtenLogs: string[];
}

/** An EngineContext over an in-memory store, one fake local host, and logs that only record removals. */
export function fakeEngine(initial: Partial<SlipwayState> = {}): FakeEngine {
  const store = memoryStore(initial);
  const host = fakeHost('local');
  const removedLogs: string[] = [];
  const writtenLogs: string[] = [];
  const logs = {
    open: async (app: string, id: string) => ({
      write: (type: string, line: string) => void writtenLogs.push(`${app}/${id} ${type}: ${line}`),
      lastLines: () => [],
      close: async () => undefined,
    }),
    remove: async (app: string, id: string) => void removedLogs.push(`${app}/${id}`),
    removeApp: async () => undefined,
  } as unknown as DeploymentLogs;
  const edge = { removeRoutesWithPrefix: async () => undefined } as unknown as ServiceRouter;
  const ctx: EngineContext = {
    localHost: host,
    hostFor: async () => host,
    serverAnswers: () => true,
    edgeFor: () => edge,
    owner: 'test-owner',
    store,
    logs,
    secrets: aesGcmBox(randomBytes(32)),
    dataDir: '/nonexistent/slipway-unit',
    saveDeployment: async (deployment, change) => {
      store.note(() => {
        change(deployment);
        deployment.updatedAt = new Date().toISOString();
      });
    },
    liveDeployment: (app) => store.state.deployments.find((d) => d.app === app && d.phase === 'ACTIVE'),
    reconcileWhenBack: () => undefined,
    emit: () => undefined,
  };
  return { ctx, store, host, removedLogs, writtenLogs };
}

/** A queue whose deployments run until the test finishes them, or until they are stopped. */
export function drivenQueue(): { queue: DeployQueue; finish(id: string): void } {
  const runs = new Map<string, () => void>();
  const queue = new DeployQueue(
    (_app, id, signal) =>
      new Promise<void>((resolve) => {
        runs.set(id, resolve);
        signal.addEventListener('abort', () => resolve());
      }),
  );
  return { queue, finish: (id) => runs.get(id)?.() };
}

/** The apps modules' scope over a fake engine, recording the events sent. */
export function fakeScope(engine: FakeEngine): AppsScope & { events: AppEvent[]; finish(id: string): void } {
  const { queue, finish } = drivenQueue();
  const events: AppEvent[] = [];
  return {
    ctx: engine.ctx,
    queue,
    events,
    finish,
    emit: (event) => void events.push(event),
    summary: (app) => summarizeApp(engine.ctx, { connected: true, isRunning: () => true }, app),
  };
}

export function appRecord(name: string, specYaml: string, hostPorts: Record<string, number> = {}): AppRecord {
  return {
    name,
    server: 'local',
    specYaml,
    sourcePath: null,
    hostPorts,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A stored deployment of an app in a given phase; its images are `slipway/<app>-<component>:<id>`. */
export function deploymentRecord(
  app: string,
  id: string,
  phase: DeploymentPhase,
  specYaml: string,
  components: string[] = [],
): Deployment {
  return {
    id,
    app,
    plan: { type: 'build', revision: null },
    cause: 'manual',
    phase,
    specYaml,
    sourceRevision: `rev-${id}`,
    images: Object.fromEntries(
      components.map((c) => [c, { tag: `slipway/${app}-${c}:${id}`, id: `sha256:${id}`, built: true }]),
    ),
    containers: {},
    endpoints: [],
    progress: [],
    options: { forceRebuild: false, clearCache: false },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}
