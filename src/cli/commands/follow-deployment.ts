import { FINISHED_PHASES, type Deployment, type DeploymentStep } from '../../shared/deployment';
import { print, type CommandContext } from '../command';
import { deploymentText } from './format';

/** Prints every step that changed since the last call, on stderr: progress while waiting. */
function progressPrinter(ctx: CommandContext) {
  const seen = new Map<string, string>();
  const walk = (steps: DeploymentStep[]) => {
    for (const step of steps) {
      const state = `${step.status}${step.reason ?? ''}`;
      if (seen.get(step.name) !== state && step.status !== 'PENDING') {
        seen.set(step.name, state);
        const mark = { RUNNING: '…', SUCCESS: '✓', ERROR: '✗', SKIPPED: '-', PENDING: ' ' }[step.status];
        ctx.io.err(`${mark} ${step.title}${step.reason ? `: ${step.reason}` : ''}`);
      }
      walk(step.steps ?? []);
    }
  };
  return (deployment: Deployment) => walk(deployment.progress);
}

/** How to look at a deployment again, and how to stop it. */
function followHint(app: string, id: string): string {
  return [
    `Follow it:  slipway apps logs ${app} --type build --deployment ${id} --follow`,
    `Status:     slipway apps get-deployment ${app} ${id}`,
    `Cancel it:  slipway apps cancel ${app}`,
  ].join('\n');
}

/** Queues a deployment with `start` and, with --wait, follows it to its end; exit 0 only when it went live. */
export async function startAndMaybeWait(
  ctx: CommandContext,
  app: string,
  start: () => Promise<Deployment>,
): Promise<number> {
  const wait = ctx.flags.wait === true;
  if (!wait) {
    const deployment = await start();
    print(
      ctx,
      deployment,
      () =>
        `Deployment ${deployment.id} queued (${deployment.cause}); it runs on in the background.\n${followHint(app, deployment.id)}`,
    );
    return 0;
  }
  let targetId: string | null = null;
  let settle: (d: Deployment) => void = () => undefined;
  const finished = new Promise<Deployment>((resolve) => (settle = resolve));
  const showProgress = progressPrinter(ctx);
  const early: Deployment[] = [];
  const onDeployment = (d: Deployment) => {
    if (d.id !== targetId) return;
    if (ctx.output === 'text') showProgress(d);
    if (FINISHED_PHASES.includes(d.phase)) settle(d);
  };
  // Subscribe before deploying, so that no step is missed.
  const unsubscribe = await ctx.client.apps.events({ app }, (event) => {
    if (event.type !== 'deployment') return;
    if (targetId === null) early.push(event.deployment);
    else onDeployment(event.deployment);
  });
  try {
    const queued = await start();
    targetId = queued.id;
    if (ctx.output === 'text') ctx.io.err(`Deployment ${queued.id} (${queued.cause})`);
    for (const d of early) onDeployment(d);
    const done = await Promise.race([finished, ctx.interrupted.then(() => null)]);
    if (!done) {
      // Ctrl-C stops the following only: the deployment belongs to the engine and runs on.
      ctx.io.err(`\nStopped following; deployment ${queued.id} runs on.\n${followHint(app, queued.id)}`);
      return 130;
    }
    print(ctx, done, () =>
      done.phase === 'ACTIVE'
        ? `Deployment ${done.id} is live.\n${done.endpoints.map((e) => `${e.component}: ${e.url}`).join('\n')}`
        : deploymentText(done),
    );
    return done.phase === 'ACTIVE' ? 0 : 1;
  } finally {
    unsubscribe();
  }
}
