import type { Deployment, DeploymentPhase, ServiceEndpoint } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import { ensureAppNetwork } from '../docker/containers';
import { engineAnswers, isConnectionError } from '../docker/docker-errors';
import type { EngineContext } from '../engine-context';
import type { DockerHost } from '../hosts/docker-host';
import { createRedactor, type Redactor } from '../logs/redactor';
import { secretValues } from '../secrets/seal-spec';
import { loadStoredSpec } from '../store/stored-spec';
import { buildAll } from './build-images';
import { classifyFailure } from './classify-failure';
import { closeBuildLog } from './closing-line';
import { runJobs } from './deploy-jobs';
import { writeDeployLogHeading } from './deploy-log-heading';
import { DeploymentStop } from './deploy-queue';
import { goLive } from './edge-routes';
import { useExistingImages } from './existing-images';
import { removeFailedDeployment } from './failure-cleanup';
import { finalize, markLive } from './finalize';
import { logSpecChanges } from './log-spec-changes';
import { assignHostPorts, computeUrls, refuseAnotherInstallationsApp } from './preflight';
import { checkEdgeDomains, placeOnServerEdge } from './server-edge-routes';
import { rollingRestart } from './rolling-restart';
import { removeDroppedDatabases, startDatabases } from './start-databases';
import { databaseValues } from './database-passwords';
import { databasePasswords } from '../secrets/known-secrets';
import { RunContext } from './run-context';
import { startComponent } from './start-instances';
import { closeOpenSteps, NOT_RUN_AFTER_FAILURE } from './step-tree';
import { servesHttp } from '../../../shared/component-kinds';

/** Runs one queued deployment to its end: ACTIVE, ERROR or CANCELED. Never throws. */
export async function runDeployment(ctx: EngineContext, appName: string, deploymentId: string, signal: AbortSignal) {
  const app = ctx.store.state.apps.find((a) => a.name === appName);
  const deployment = ctx.store.state.deployments.find((d) => d.id === deploymentId);
  if (!app || !deployment) return;
  const loaded = loadStoredSpec(deployment.specYaml);
  if (!loaded.spec) {
    await finish(ctx, deployment, 'ERROR', {
      code: 'SPEC_INVALID',
      message: loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    });
    return;
  }
  const spec = loaded.spec;
  let secrets: Record<string, string>;
  let databases: Map<string, Record<string, string>>;
  try {
    // Database passwords are made here, before anything is logged, so the log hides them from its first line.
    databases = await databaseValues(ctx, app, spec.databases);
    secrets = { ...secretValues(spec, ctx.secrets), ...databasePasswords(app, ctx.secrets) };
  } catch (err) {
    await finish(ctx, deployment, 'ERROR', { code: 'SECRET_UNREADABLE', message: (err as Error).message });
    return;
  }
  let host: DockerHost;
  try {
    host = await ctx.hostFor(app.server);
  } catch (err) {
    const e = err as SlipwayError;
    await finish(ctx, deployment, 'ERROR', { code: e.code ?? 'DEPLOY_FAILED', message: e.message });
    return;
  }
  const redact = createRedactor(secrets);
  const log = await ctx.logs.open(app.name, deployment.id, redact);
  writeDeployLogHeading(log, deployment);
  const run = new RunContext(ctx, host, app, deployment, spec, log, signal);
  run.urls.databases = databases;
  try {
    await execute(run, redact);
  } finally {
    await log.close();
    await ctx.store.flushed();
  }
}

/** The deployment's plan, step by step, from the checks before anything changes to the old version's removal. */
async function execute(run: RunContext, redact: Redactor): Promise<void> {
  const plan = run.deployment.plan;
  try {
    logSpecChanges(run);
    await refuseAnotherInstallationsApp(run);
    await assignHostPorts(run);
    // Before anything is built: a host name another app holds is refused (go-live asks again, just
    // before it switches), and an app without one gets its port on the edge, for its URLs below.
    await checkEdgeDomains(run.ctx, run.app, run.host, run.spec);
    await placeOnServerEdge(run.ctx, run.app, run.host, run.spec);
    computeUrls(run);
    if (plan.type === 'build') await buildAll(run, plan.revision);
    else await useExistingImages(run, plan);

    await run.phase('PENDING_DEPLOY');
    run.checkCanceled();
    await run.phase('DEPLOYING');
    await run.step('deploy.initialize', 'RUNNING');
    // Components find each other by name on the app's network; a lone component needs none,
    // and Docker's default bridge starts it faster.
    const alone = run.spec.components.length === 1 && run.spec.databases.length === 0;
    run.network = alone ? null : await ensureAppNetwork(run.host, run.ctx.owner, run.app.name);
    await run.step('deploy.initialize', 'SUCCESS');
    if (plan.type !== 'restart') await startDatabases(run);

    let endpoints: ServiceEndpoint[];
    if (plan.type === 'restart') {
      endpoints = await rollingRestart(run, plan.components);
    } else {
      await runJobs(run, 'PRE_DEPLOY');
      const started = await Promise.all(
        run.spec.components.filter((c) => c.kind !== 'job').map((c) => startComponent(run, c)),
      );
      run.checkCanceled();
      await run.step('deploy.switch', 'RUNNING');
      endpoints = await goLive(
        run,
        started.filter((s) => servesHttp(s.component)),
      );
      await run.step('deploy.switch', 'SUCCESS');
    }
    // Live from the switch on, as App Platform counts it; the old version drains after.
    await markLive(run, endpoints);
    run.log.write('deploy', `Deployment ${run.deployment.id} is live.`);
    // Live already: a database container that cannot be removed now is left for the next deploy, not a failure.
    if (plan.type !== 'restart') {
      await removeDroppedDatabases(run).catch((err: unknown) =>
        run.log.write('deploy', `Could not remove a database the spec dropped: ${(err as Error).message}`),
      );
    }
    await finalize(run, plan.type !== 'restart');
  } catch (err) {
    await fail(run, err, redact);
  }
}

/** Ends a deployment that did not go live: ERROR or CANCELED, with its reason and last log lines, and nothing left behind. */
async function fail(run: RunContext, err: unknown, redact: Redactor) {
  const { signal, host } = run;
  const stop = signal.aborted && signal.reason instanceof DeploymentStop ? signal.reason : null;
  const outcome = classifyFailure({
    error: err,
    stop,
    hostConnected: host.connected,
    connectionError: isConnectionError(err),
    // Asked at once: a Docker engine that restarts answers again within seconds.
    engineStopped: stop === null && host.connected && !(await engineAnswers(host)),
    dataDir: run.ctx.dataDir,
    server: run.app.server,
    hostName: host.name,
  });
  const { phase } = outcome;
  // A message may quote what a build, a container or a health check printed: the state and screens get it
  // redacted, as the log does.
  const error = { ...outcome.error, message: redact(outcome.error.message) };
  closeBuildLog(run, stop, error.message);
  run.log.write('deploy', phase === 'CANCELED' ? 'Deployment canceled.' : `Deployment failed: ${error.message}`);
  const lastLogLines = run.log.lastLines(20);
  const notRun = phase === 'CANCELED' ? 'Not run: the deployment was canceled.' : NOT_RUN_AFTER_FAILURE;
  await run.ctx.saveDeployment(run.deployment, (d) => closeOpenSteps(d.progress, 'ERROR', error.message, notRun));

  const removed = await removeFailedDeployment(run, stop !== null);
  await run.ctx.saveDeployment(run.deployment, (d) => {
    d.phase = phase;
    d.finishedAt = new Date().toISOString();
    d.error = { ...error, lastLogLines };
    if (stop?.kind === 'cancel') d.canceled = { at: new Date().toISOString(), by: stop.by };
    if (!removed) d.cleanupPending = true;
  });
  if (!removed) run.ctx.reconcileWhenBack(run.app.server);
}

async function finish(ctx: EngineContext, deployment: Deployment, phase: DeploymentPhase, error?: Deployment['error']) {
  await ctx.saveDeployment(deployment, (d) => {
    d.phase = phase;
    d.finishedAt = new Date().toISOString();
    if (error) d.error = error;
  });
}
