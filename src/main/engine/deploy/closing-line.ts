import type { DeploymentPlan, DeploymentStep } from '../../../shared/deployment';
import type { DeploymentStop } from './deploy-queue';
import type { RunContext } from './run-context';
import { findStep } from './step-tree';

export interface ClosingFacts {
  /** Why the deployment was stopped, when it was. */
  stop: Pick<DeploymentStop, 'kind' | 'by'> | null;
  /** The deployment's error message, already redacted. */
  message: string;
  /** Whether another deployment of the app is live: it kept serving. */
  previousLive: boolean;
}

/**
 * The one line that ends the log of a build that did not finish: who stopped
 * it and what follows, or why it failed. A stop says who asked for it (the
 * error it caused says less); an interruption says what went away.
 */
export function buildClosingLine(facts: ClosingFacts): string {
  const after = facts.previousLive ? 'the previous version is still live.' : 'no version of the app is live.';
  if (facts.stop?.kind === 'cancel') return `Build canceled by ${facts.stop.by}; ${after}`;
  if (facts.stop?.kind === 'kill') return `Build killed by ${facts.stop.by}; ${after}`;
  const interrupted = /^Interrupted: (.*)$/s.exec(facts.message);
  if (interrupted) return `Build interrupted: ${interrupted[1]}`;
  return `Build failed: ${facts.message}`;
}

/**
 * Whether a deployment stopped before its build finished, and the component
 * whose build step was running then (its lines carry that component, so a log
 * read for it ends with the closing line too). Null when it built nothing
 * (a restart, a rollback) or its build had finished.
 */
export function unfinishedBuild(
  plan: DeploymentPlan,
  progress: DeploymentStep[],
  components: readonly string[],
): { component?: string } | null {
  if (plan.type !== 'build') return null;
  const build = findStep(progress, 'build');
  if (!build || (build.status !== 'RUNNING' && build.status !== 'PENDING')) return null;
  const running = components.find((name) => findStep(build.steps ?? [], `build.${name}`)?.status === 'RUNNING');
  return running ? { component: running } : {};
}

/** Ends the build log of a deployment that stopped while building with its closing line, once. */
export function closeBuildLog(run: RunContext, stop: ClosingFacts['stop'], message: string): void {
  const { deployment } = run;
  const open = unfinishedBuild(
    deployment.plan,
    deployment.progress,
    run.spec.components.map((c) => c.name),
  );
  if (!open) return;
  const live = run.ctx.liveDeployment(run.app.name);
  const line = buildClosingLine({ stop, message, previousLive: !!live && live.id !== deployment.id });
  run.log.write('build', line, open.component);
}
