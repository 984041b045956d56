import path from 'node:path';
import { contract } from '../../shared/contract';
import { SlipwayError } from '../../shared/errors';
import type { Deployment } from '../../shared/deployment';
import type { EngineStatus } from '../../shared/domains/engine';
import { SLIPWAY_VERSION } from '../../shared/version';
import { createRouter, type Router } from '../../shared/rpc/router';
import { AppsService } from './apps/apps-service';
import { databaseCredentials, listDatabases } from './apps/app-databases';
import { dbShellHandlers } from './apps/db-shell';
import { DB_SHELL_SESSION_DEFAULTS, DbShellSessions } from './apps/db-shell-sessions';
import { DB_SHELL_MAX_SESSIONS } from '../../shared/domains/db-shell';
import { commitRollback, revertRollback } from './apps/rollback-pin';
import { withSpecFileStatus } from './apps/spec-file-status';
import { validateRollback } from './apps/validate-rollback';
import { RETAINED_DEPLOYMENTS } from './deploy/retention';
import type { EngineContext } from './engine-context';
import { EdgeProcessClient } from './edge/edge-client';
import { EdgeProxy } from './edge/edge-proxy';
import type { ServiceRouter } from './edge/service-router';
import type { DockerHost } from './hosts/docker-host';
import { localDockerHost } from './hosts/local-docker-host';
import { DeploymentLogs } from './logs/deployment-logs';
import { EngineLog, engineLogFile } from './logs/engine-log';
import { createRedactor } from './logs/redactor';
import { knownSecrets } from './secrets/known-secrets';
import { dockerUnreachable, engineAnswers, isConnectionError } from './docker/docker-errors';
import { keyFileSecretBox, secretKeyFile, type SecretBox } from './secrets/secret-box';
import { ServersService } from './servers/servers-service';
import { ServerEdge } from './servers/server-edge';
import { defaultDataDir } from './store/data-dir';
import { installationId } from './store/installation-id';
import { openStateStore } from './store/state-store';
import { createSystemService } from './system/system-service';

export interface EngineOptions {
  /** The local Docker engine; defaults to DOCKER_HOST or the platform's socket. */
  localHost?: DockerHost & { endpoint: string };
  /** Where state and logs live; defaults to SLIPWAY_HOME or the platform's app-data folder. */
  dataDir?: string;
  /** How secrets are sealed; defaults to a key file in the data folder (the desktop app passes safeStorage). */
  secrets?: (dataDir: string) => Promise<SecretBox>;
  /**
   * Where services' stable ports are served. The desktop app and the CLI pass
   * the bundled edge process, so deployed apps keep answering after they exit;
   * without it, the engine serves them itself while it runs.
   */
  edgeProcess?: { script: string; execPath?: string };
  /** The SSH files servers are checked against; default ~/.ssh/known_hosts and ~/.ssh/config. */
  ssh?: { knownHostsFile?: string; sshConfigFile?: string };
  /** Set when the engine serves front ends from its own process (see `daemon/engine-daemon.ts`). */
  daemon?: EngineDaemonHooks;
}

/** What only the engine's own process knows: its socket and its front ends. */
export interface EngineDaemonHooks {
  socket: string;
  log: string;
  clients(): number;
  /** Called once a stop is asked; the process ends when nothing is in flight. */
  onStopRequested(): void;
}

export interface Engine {
  /** The contract's router: every transport hands its calls to this. */
  readonly router: Router;
  /** Opens the state now and reconciles it with Docker (the desktop app does this at launch; the CLI on first use). */
  start(): Promise<void>;
  /** Resolves when an app has no deployment running or waiting. */
  idle(app: string): Promise<void>;
  /** Deployments running or waiting over every app (0 before the state is open). */
  inFlight(): number;
  /** True once `engine.stop` was asked: no new deployment is taken. */
  readonly stopping: boolean;
  close(): Promise<void>;
}

/** Builds Slipway's engine and binds it to the contract. */
export function createEngine(options: EngineOptions = {}): Engine {
  const host = options.localHost ?? localDockerHost();
  const dataDir = options.dataDir ?? defaultDataDir();
  const logsDir = path.join(dataDir, 'logs');
  const system = createSystemService(host);
  // Local apps' ports live in the edge process (they outlive this one); apps on servers are
  // reached through their SSH connection, which only this process holds.
  const localEdge: ServiceRouter = options.edgeProcess
    ? new EdgeProcessClient({ dataDir, ...options.edgeProcess })
    : new EdgeProxy();
  const tunnelEdge = new EdgeProxy();
  let opening: Promise<{
    apps: AppsService;
    servers: ServersService;
    serverEdge: ServerEdge;
    /** Every secret value held, in plain: what the engine's log hides. */
    knownSecrets(): Record<string, string>;
    close(): Promise<void>;
  }> | null = null;

  // The state is opened on first need: `slipway system info` never takes the writer lock.
  const open = () =>
    (opening ??= (async () => {
      const store = await openStateStore(dataDir);
      try {
        const secrets = await (options.secrets ?? keyFileSecretBox)(dataDir);
        const owner = await installationId(dataDir);
        const servers = new ServersService({
          store,
          secrets,
          local: host,
          ...options.ssh,
          // A server that is back may have lost deployments midway: make records and containers agree.
          onReconnect: () => apps.reconcile(),
        });
        const ctx: EngineContext = {
          owner,
          localHost: host,
          hostFor: (server) => (server === 'local' ? Promise.resolve(host) : servers.host(server)),
          serverAnswers: (server) => servers.answers(server),
          edgeFor: (server) => (server === 'local' ? localEdge : tunnelEdge),
          store,
          logs: new DeploymentLogs(logsDir),
          secrets,
          dataDir,
          saveDeployment: async (deployment: Deployment, change) => {
            store.note(() => {
              change(deployment);
              deployment.updatedAt = new Date().toISOString();
            });
            apps.emit({ type: 'deployment', deployment });
            const record = apps.findApp(deployment.app);
            if (record) apps.emit({ type: 'app', app: apps.summary(record) });
          },
          liveDeployment: (app) => store.state.deployments.find((d) => d.app === app && d.phase === 'ACTIVE'),
          emit: (event) => apps.emit(event),
          reconcileWhenBack: (server) => apps.reconcileWhenBack(server),
        };
        // The context's callbacks reach the service only once it exists.
        const apps: AppsService = new AppsService(ctx);
        openedApps = apps;
        // Watching first: the status of local apps says whether the engine answers, reconciliation or not.
        await apps.watch.start();
        await apps.reconcile();
        // A server's apps say it when the server goes offline or comes back.
        servers.subscribe((event) => {
          if (event.type === 'status') apps.emitSummaries(event.server.name);
        });
        return {
          apps,
          servers,
          serverEdge: new ServerEdge(ctx, (name) => servers.host(name)),
          knownSecrets: () => knownSecrets(store.state, secrets),
          async close() {
            await servers.close();
            apps.stopWatching();
            await apps.queue.close();
            await store.close();
          },
        };
      } catch (err) {
        await store.close();
        throw err;
      }
    })().catch((err: unknown) => {
      // Tried again on the next call: a failure to open (a held lock, an unreadable key) may pass.
      opening = null;
      throw err;
    }));
  const apps = async () => (await open()).apps;
  const servers = async () => (await open()).servers;

  let stopping = false;
  let openedApps: AppsService | null = null;
  const inFlight = () => openedApps?.queue.inFlight() ?? 0;
  /** The apps domain's entries that start a deployment: refused once the engine is stopping. */
  const accepting = async () => {
    if (stopping) {
      throw new SlipwayError(
        'ENGINE_STOPPING',
        'The Slipway engine is stopping (slipway engine stop) and takes no new deployment; run the command again once it has stopped.',
      );
    }
    return apps();
  };
  const status = (): EngineStatus => ({
    running: true,
    pid: process.pid,
    socket: options.daemon?.socket ?? '',
    version: SLIPWAY_VERSION,
    clients: options.daemon?.clients() ?? 0,
    inFlight: inFlight(),
    stopping,
    log: options.daemon?.log ?? '',
  });
  const stopEngine = async (now: boolean): Promise<EngineStatus> => {
    stopping = true;
    if (now && openedApps) {
      const service = openedApps;
      for (const app of service.queue.busyApps()) {
        await service.cleanQueue({ app, by: 'engine stop' });
        await service.cancel({ app, by: 'engine stop' }).catch(() => undefined);
      }
    }
    options.daemon?.onStopRequested();
    return status();
  };

  const engineLogPath = engineLogFile(dataDir);
  const engineLog = new EngineLog(engineLogPath);
  /** What a caller is told of an error: a lost local engine says so; anything unexpected is logged. */
  const onError = async (err: unknown, method: string): Promise<unknown> => {
    if (err instanceof SlipwayError) return err;
    if (isConnectionError(err) && !(await engineAnswers(host))) return dockerUnreachable(host.endpoint, err);
    const opened = await opening?.catch(() => null);
    await engineLog.unexpected(method, err, createRedactor(opened?.knownSecrets() ?? {}));
    return err;
  };

  const shellSessions = new DbShellSessions({ maxSessions: DB_SHELL_MAX_SESSIONS, ...DB_SHELL_SESSION_DEFAULTS });
  const router = createRouter(
    contract,
    {
      system: {
        info: () => system.info(),
        storage: async () => ({
          dataDir,
          logsDir,
          engineLog: engineLogPath,
          keyFile: options.secrets ? null : secretKeyFile(dataDir),
          retainedDeployments: RETAINED_DEPLOYMENTS,
        }),
        containerEvents: (params, emit) => system.containerEvents(params, emit),
      },
      apps: {
        validateSpec: async ({ specYaml, sourcePath }) => (await apps()).validateSpec(specYaml, sourcePath),
        planSpec: async (request) => (await apps()).planSpec(request),
        create: async (request) => (await apps()).create(request),
        update: async (request) => (await apps()).update(request),
        list: async () => (await apps()).list(),
        get: async ({ app }) => {
          const service = await apps();
          const detail = await withSpecFileStatus(service.scope.ctx, service.get(app));
          const databases = await listDatabases(service.scope.ctx, app);
          return databases.length > 0 ? { ...detail, databases } : detail;
        },
        delete: async ({ app, deleteData }) => (await apps()).delete(app, deleteData),
        deploy: async (request) => (await accepting()).deploy(request),
        listDeployments: async ({ app }) => (await apps()).listDeployments(app),
        getDeployment: async ({ app, deployment }) => (await apps()).getDeployment(app, deployment),
        readLogs: async (request) => (await apps()).readLogs(request),
        followLogs: async (request, emit) => (await apps()).followLogs(request, emit),
        restart: async (request) => (await accepting()).restart(request),
        rollbackTargets: async ({ app }) => (await apps()).rollbackTargets(app),
        rollbackPreview: async (request) => (await apps()).rollbackPreview(request),
        rollback: async (request) => (await accepting()).rollback(request),
        commitRollback: async ({ app }) => commitRollback((await apps()).scope, app),
        revertRollback: async ({ app }) => revertRollback((await accepting()).scope, app),
        validateRollback: async (request) => validateRollback((await apps()).scope.ctx, request),
        cancel: async (request) => (await apps()).cancel(request),
        killBuild: async (request) => (await apps()).killBuild(request),
        queue: async ({ app }) => (await apps()).queueOf(app),
        cleanQueue: async (request) => (await apps()).cleanQueue(request),
        clearDeployments: async ({ app }) => (await apps()).clearDeployments(app),
        events: async ({ app }, emit) => (await apps()).subscribe(app, emit),
      },
      databases: {
        list: async ({ app }) => listDatabases((await apps()).scope.ctx, app),
        credentials: async ({ app, db }) => databaseCredentials((await apps()).scope.ctx, app, db),
      },
      dbShell: dbShellHandlers(async () => (await apps()).scope.ctx, shellSessions),
      servers: {
        list: async () => (await servers()).list(),
        get: async ({ name }) => (await servers()).get(name),
        add: async (request) => (await servers()).add(request),
        trust: async (request) => (await servers()).trust(request),
        test: async ({ name }) => (await servers()).test(name),
        remove: async ({ name }) => (await servers()).remove(name),
        sshConfigHosts: async () => (await servers()).sshConfigHosts(),
        edgeEnable: async (request) => (await open()).serverEdge.enable(request),
        edgeStatus: async ({ name }) => (await open()).serverEdge.status(name),
        edgeDisable: async ({ name }) => (await open()).serverEdge.disable(name),
        events: async (_params, emit) => (await servers()).subscribe(emit),
      },
      engine: {
        status: async () => status(),
        stop: async ({ now }) => stopEngine(now),
      },
    },
    { onError },
  );

  return {
    router,
    start: async () => {
      await open();
    },
    idle: async (app) => (await apps()).queue.idle(app),
    inFlight,
    get stopping() {
      return stopping;
    },
    async close() {
      // A database client left open would idle in its container after the engine is gone.
      shellSessions.closeAll('The engine stopped.');
      if (opening) await (await opening.catch(() => null))?.close();
      await localEdge.close();
      await tunnelEdge.close();
      await host.close();
    },
  };
}
