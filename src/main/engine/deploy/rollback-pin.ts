import type { Deployment } from '../../../shared/deployment';
import type { AppRecord } from '../store/state-store';
import type { RunContext } from './run-context';

/**
 * What a deployment going live does to its app's pin: a rollback pins the app to it (`pin: 'set'`),
 * a revert unpins it (`'clear'`), and so does a build (one asked before the pin was set); a
 * restart or an unpinned rollback leaves it. A second rollback while pinned keeps the
 * first one's `previous`, so a revert goes back to what was live before any rollback. Changes
 * `app` in place (inside a state update); true when it changed.
 */
export function pinAtGoLive(app: AppRecord, deployment: Deployment, previousLive: string | null): boolean {
  const { plan } = deployment;
  // A build queued before the rollback was pinned, going live after it: the app is no longer at the rollback.
  const superseded = plan.type === 'build' && app.pin !== undefined;
  if (!superseded && (plan.type !== 'rollback' || !plan.pin)) return false;
  if (superseded || (plan.type === 'rollback' && plan.pin === 'clear')) {
    delete app.pin;
  } else if (plan.type === 'rollback') {
    app.pin = {
      deployment: deployment.id,
      target: plan.target,
      previous: app.pin ? app.pin.previous : previousLive,
      at: new Date().toISOString(),
    };
  }
  app.updatedAt = new Date().toISOString();
  return true;
}

/** Applies `pinAtGoLive` at a rollback's go-live, and says in the deploy log what it means. */
export async function applyRollbackPin(run: RunContext, previousLive: string | null): Promise<void> {
  const { app, deployment } = run;
  if (!(await run.ctx.store.update(() => pinAtGoLive(app, deployment, previousLive)))) return;
  run.log.write(
    'deploy',
    app.pin
      ? `${app.name} is pinned to this rollback: deploys are refused until it is committed (slipway apps commit-rollback ${app.name}) or reverted (slipway apps revert-rollback ${app.name}).`
      : `${app.name} is no longer pinned to a rollback.`,
  );
}
