import type { RunContext } from './run-context';
import { specChanges } from './spec-changes';

/**
 * Writes to the deploy log what this deployment's spec changes from the live one: a count, the
 * unified diff (secret values masked) and the env keys whose value changed. A restart
 * deploys the live spec, so it writes nothing.
 */
export function logSpecChanges(run: RunContext): void {
  const { app, deployment, log } = run;
  if (deployment.plan.type === 'restart') return;
  if (app.specFile && deployment.plan.type === 'build') log.write('deploy', `Spec read from ${app.specFile}`);
  const live = run.ctx.liveDeployment(app.name);
  if (!live) return;
  const changes = specChanges(live.specYaml, deployment.specYaml, run.ctx.secrets, {
    before: `live (${live.id})`,
    after: `this deployment (${deployment.id})`,
  });
  if (changes.changedFields === 0 && changes.diff === '') {
    log.write('deploy', `Spec unchanged from the live deployment ${live.id}.`);
    return;
  }
  log.write('deploy', `Spec changes from the live deployment ${live.id}: ${fields(changes.changedFields)}`);
  for (const line of changes.diff.split('\n').filter(Boolean)) log.write('deploy', line);
  // Keys only: a masked secret's new value shows nowhere, not even in the diff.
  const { changed } = changes.envKeys;
  if (changed.length > 0) log.write('deploy', `Env values changed: ${changed.join(', ')}`);
}

const fields = (n: number) => `${n} field${n === 1 ? '' : 's'}`;
