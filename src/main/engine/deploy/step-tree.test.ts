import { describe, expect, it } from 'vitest';
import type { DeploymentStep } from '../../../shared/deployment';
import { closeOpenSteps, findStep, markStep, NOT_RUN_AFTER_FAILURE } from './step-tree';

function tree(): DeploymentStep[] {
  return [
    {
      name: 'build',
      title: 'Build',
      status: 'PENDING',
      steps: [
        { name: 'build.initialize', title: 'Fetch source', status: 'PENDING' },
        { name: 'build.web', title: 'Build web', status: 'PENDING' },
      ],
    },
    {
      name: 'deploy',
      title: 'Deploy',
      status: 'PENDING',
      steps: [{ name: 'deploy.web', title: 'Deploy web', status: 'PENDING' }],
    },
  ];
}

describe('closeOpenSteps', () => {
  it('puts a failure on the steps that were running and says the others did not run', () => {
    const steps = tree();
    markStep(steps, 'build.initialize', 'SUCCESS');
    markStep(steps, 'build.web', 'RUNNING');
    closeOpenSteps(steps, 'ERROR', 'RUN exit 3 failed');
    expect(findStep(steps, 'build.web')).toMatchObject({ status: 'ERROR', reason: 'RUN exit 3 failed' });
    expect(findStep(steps, 'build')).toMatchObject({ status: 'ERROR', reason: 'RUN exit 3 failed' });
    expect(findStep(steps, 'build.initialize')).toMatchObject({ status: 'SUCCESS' });
    expect(findStep(steps, 'build.initialize')?.reason).toBeUndefined();
    expect(findStep(steps, 'deploy')).toMatchObject({ status: 'SKIPPED', reason: NOT_RUN_AFTER_FAILURE });
    expect(findStep(steps, 'deploy.web')).toMatchObject({ status: 'SKIPPED', reason: NOT_RUN_AFTER_FAILURE });
  });

  it('gives a tree skipped as a whole its reason once, at the top', () => {
    const steps = tree().slice(0, 1);
    closeOpenSteps(steps, 'SKIPPED', 'Restart: nothing is built');
    expect(findStep(steps, 'build')).toMatchObject({ status: 'SKIPPED', reason: 'Restart: nothing is built' });
    expect(findStep(steps, 'build.web')?.status).toBe('SKIPPED');
    expect(findStep(steps, 'build.web')?.reason).toBeUndefined();
  });

  it('takes the reason for steps never reached from the caller', () => {
    const steps = tree();
    markStep(steps, 'build.web', 'RUNNING');
    closeOpenSteps(steps, 'ERROR', 'Canceled by desktop', 'Not run: the deployment was canceled.');
    expect(findStep(steps, 'build.web')).toMatchObject({ status: 'ERROR', reason: 'Canceled by desktop' });
    expect(findStep(steps, 'deploy.web')).toMatchObject({
      status: 'SKIPPED',
      reason: 'Not run: the deployment was canceled.',
    });
  });
});
