import type { Deployment, LogLine, LogType } from '../../../shared/deployment';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import { followRunLogs, readRunLogs } from '../docker/run-logs';
import type { EngineContext } from '../engine-context';
import type { DockerHost } from '../hosts/docker-host';
import { createRedactor, type Redactor } from '../logs/redactor';
import { storedSpecSecrets } from '../secrets/known-secrets';
import { appOrThrow, getDeployment, hostOf, listDeployments } from './app-lookup';

export interface LogRequest {
  app: string;
  type: LogType;
  component?: string;
  deployment?: string;
}

/** The deployment logs are read from: the one named, else the latest. */
function logDeployment(ctx: EngineContext, app: string, id?: string): Deployment | undefined {
  if (id) return getDeployment(ctx, app, id);
  return listDeployments(ctx, app)[0];
}

/** The deployment whose containers run logs come from: the one named, else the live one. */
function runLogSource(ctx: EngineContext, request: LogRequest): Deployment | undefined {
  return request.deployment ? getDeployment(ctx, request.app, request.deployment) : ctx.liveDeployment(request.app);
}

/** Hides the secret values a deployment gave its containers, as its build log hides them. */
function runLogRedactor(ctx: EngineContext, deployment: Deployment): Redactor {
  return createRedactor(storedSpecSecrets(deployment.specYaml, ctx.secrets));
}

/** The last lines of an app's logs: run logs from Docker, build and deploy logs from the deployment's file. */
export async function readLogs(ctx: EngineContext, request: LogRequest & { tail?: number }) {
  appOrThrow(ctx, request.app);
  if (request.type === 'run') {
    const source = runLogSource(ctx, request);
    if (!source) return [];
    const host = await hostOf(ctx, request.app);
    return readRunLogs(host, source, request.component, request.tail ?? 1000, runLogRedactor(ctx, source));
  }
  const deployment = logDeployment(ctx, request.app, request.deployment);
  if (!deployment) return [];
  const filter = request.component ? { type: request.type, component: request.component } : { type: request.type };
  return ctx.logs.read(request.app, deployment.id, filter, request.tail);
}

/** Follows an app's logs live; a stream cut off with its server's connection ends with a `connection-lost` line. */
export async function followLogs(
  ctx: EngineContext,
  request: LogRequest,
  emit: (lines: LogLine[]) => void,
): Promise<Unsubscribe> {
  const record = appOrThrow(ctx, request.app);
  const host = await hostOf(ctx, request.app);
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
  const stop = await followLogsOn(ctx, host, request, emit);
  return () => {
    ended = true;
    stop();
  };
}

async function followLogsOn(
  ctx: EngineContext,
  host: DockerHost,
  request: LogRequest,
  emit: (lines: LogLine[]) => void,
): Promise<Unsubscribe> {
  if (request.type === 'run') {
    const source = runLogSource(ctx, request);
    if (!source) return () => undefined;
    return followRunLogs(host, source, request.component, runLogRedactor(ctx, source), emit);
  }
  const filter = request.component ? { type: request.type, component: request.component } : { type: request.type };
  return ctx.logs.follow(request.app, request.deployment, filter, emit);
}
