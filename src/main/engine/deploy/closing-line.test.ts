import { describe, expect, it } from 'vitest';
import type { AppSpec, ComponentSpec } from '../../../shared/spec/app-spec';
import { buildClosingLine, unfinishedBuild } from './closing-line';
import { initialSteps, markStep, restartSteps } from './step-tree';

describe('the closing line of a build log', () => {
  it('says who canceled or killed the build, and that the previous version is still live', () => {
    const stopped = (kind: 'cancel' | 'kill', by: string) =>
      buildClosingLine({ stop: { kind, by }, message: 'ignored', previousLive: true });
    expect(stopped('cancel', 'cli')).toBe('Build canceled by cli; the previous version is still live.');
    expect(stopped('kill', 'ana')).toBe('Build killed by ana; the previous version is still live.');
  });

  it('says so when no version was live before', () => {
    expect(buildClosingLine({ stop: { kind: 'cancel', by: 'desktop' }, message: '', previousLive: false })).toBe(
      'Build canceled by desktop; no version of the app is live.',
    );
  });

  it("ends a failed build with the failure's reason", () => {
    const message = "The command '/bin/sh -c exit 3' returned a non-zero code: 3";
    expect(buildClosingLine({ stop: null, message, previousLive: true })).toBe(`Build failed: ${message}`);
  });

  it('says an interrupted build was interrupted, and by what', () => {
    expect(
      buildClosingLine({
        stop: { kind: 'shutdown', by: 'engine' },
        message: 'Interrupted: Slipway stopped while this deployment ran.',
        previousLive: true,
      }),
    ).toBe('Build interrupted: Slipway stopped while this deployment ran.');
  });
});

describe('a build that did not finish', () => {
  const component = (name: string) => ({ name, kind: 'service' }) as ComponentSpec;
  const spec = { name: 'shop', components: [component('web'), component('api')], databases: [] } as AppSpec;
  const names = ['web', 'api'];
  const build = { type: 'build', revision: null } as const;

  it('is found while its build runs, with the component whose step was running', () => {
    const steps = initialSteps(spec);
    markStep(steps, 'build.initialize', 'RUNNING');
    expect(unfinishedBuild(build, steps, names)).toEqual({});
    markStep(steps, 'build.initialize', 'SUCCESS');
    markStep(steps, 'build.web', 'SUCCESS');
    markStep(steps, 'build.api', 'RUNNING');
    expect(unfinishedBuild(build, steps, names)).toEqual({ component: 'api' });
  });

  it('is found when it never started (killed while pending)', () => {
    expect(unfinishedBuild(build, initialSteps(spec), names)).toEqual({});
  });

  it('is not found once the build finished, nor for a deployment that builds nothing', () => {
    const steps = initialSteps(spec);
    markStep(steps, 'build', 'SUCCESS');
    markStep(steps, 'deploy.web', 'RUNNING');
    expect(unfinishedBuild(build, steps, names)).toBeNull();
    expect(unfinishedBuild({ type: 'rollback', target: 'x' }, initialSteps(spec), names)).toBeNull();
    expect(
      unfinishedBuild({ type: 'restart', components: ['web'], base: 'x' }, restartSteps(spec, ['web']), names),
    ).toBeNull();
  });
});
