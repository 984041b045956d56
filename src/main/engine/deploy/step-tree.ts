import type { DeploymentStep, StepStatus } from '../../../shared/deployment';
import type { AppSpec } from '../../../shared/spec/app-spec';

const step = (name: string, title: string, steps?: DeploymentStep[]): DeploymentStep =>
  steps ? { name, title, status: 'PENDING', steps } : { name, title, status: 'PENDING' };

/** The step of one database in a deployment's progress tree (`:` is in no component's name, so none clashes). */
export const databaseStep = (db: string) => `deploy.database:${db}`;

/** The progress tree of a deployment, as DigitalOcean shows it: build, then deploy, each with its parts. */
export function initialSteps(spec: AppSpec): DeploymentStep[] {
  const running = spec.components.filter((c) => c.kind !== 'job');
  const jobs = (kind: string) => spec.components.filter((c) => c.kind === 'job' && c.jobKind === kind);
  return [
    step('build', 'Build', [
      step('build.initialize', 'Fetch source'),
      ...spec.components.map((c) => step(`build.${c.name}`, `Build ${c.name}`)),
      step('build.finalize', 'Finalize build'),
    ]),
    step('deploy', 'Deploy', [
      step('deploy.initialize', 'Prepare network'),
      ...spec.databases.map((db) => step(databaseStep(db.name), `Start database ${db.name}`)),
      ...jobs('PRE_DEPLOY').map((c) => step(`deploy.job.${c.name}`, `Run pre-deploy job ${c.name}`)),
      ...running.map((c) =>
        step(`deploy.${c.name}`, `Deploy ${c.name}`, [
          step(`deploy.${c.name}.start`, `Start ${c.instanceCount} instance(s)`),
          step(`deploy.${c.name}.wait`, 'Wait until healthy'),
        ]),
      ),
      step('deploy.switch', 'Go live'),
      ...jobs('POST_DEPLOY').map((c) => step(`deploy.job.${c.name}`, `Run post-deploy job ${c.name}`)),
      step('deploy.finalize', 'Remove the previous version'),
    ]),
  ];
}

/** The progress tree of a rolling restart: one step per instance replaced. */
export function restartSteps(spec: AppSpec, components: string[]): DeploymentStep[] {
  return [
    step('build', 'Build', [step('build.initialize', 'Fetch source')]),
    step('deploy', 'Restart', [
      step('deploy.initialize', 'Prepare network'),
      ...spec.components
        .filter((c) => components.includes(c.name))
        .map((c) =>
          step(
            `deploy.${c.name}`,
            `Restart ${c.name}`,
            Array.from({ length: c.instanceCount }, (_, i) =>
              step(`deploy.${c.name}.${i + 1}`, `Replace instance ${i + 1}`),
            ),
          ),
        ),
      step('deploy.finalize', 'Finish'),
    ]),
  ];
}

/** Finds a step anywhere in the tree by name. */
export function findStep(steps: DeploymentStep[], name: string): DeploymentStep | undefined {
  for (const s of steps) {
    if (s.name === name) return s;
    const inner = s.steps && findStep(s.steps, name);
    if (inner) return inner;
  }
  return undefined;
}

/** Sets a step's status (and its times), and starts its parents when it starts. */
export function markStep(steps: DeploymentStep[], name: string, status: StepStatus, reason?: string): void {
  const target = findStep(steps, name);
  if (!target) return;
  const now = new Date().toISOString();
  target.status = status;
  if (reason) target.reason = reason;
  if (status === 'RUNNING') target.startedAt ??= now;
  else if (status !== 'PENDING') target.endedAt = now;
  if (status === 'RUNNING') {
    const parent = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : null;
    if (parent && findStep(steps, parent)?.status === 'PENDING') markStep(steps, parent, 'RUNNING');
  }
}

/** What a step that never ran says when an earlier one failed. */
export const NOT_RUN_AFTER_FAILURE = 'Not run: an earlier step failed.';

/**
 * Ends every step still pending or running. A running step ends with `status`
 * and the reason: that is where it happened. A pending one is SKIPPED; after a
 * failure it says only that it did not run, and in a tree skipped as a whole
 * only its outermost steps carry the reason, so one reason is not repeated
 * down the tree.
 */
export function closeOpenSteps(
  steps: DeploymentStep[],
  status: StepStatus,
  reason: string,
  skippedReason: string = status === 'ERROR' ? NOT_RUN_AFTER_FAILURE : reason,
): void {
  const close = (level: DeploymentStep[], skipped: string | undefined) => {
    for (const s of level) {
      if (s.steps) close(s.steps, status === 'SKIPPED' ? undefined : skipped);
      if (s.status === 'RUNNING') markStep([s], s.name, status, reason);
      else if (s.status === 'PENDING') markStep([s], s.name, 'SKIPPED', skipped);
    }
  };
  close(steps, skippedReason);
}
