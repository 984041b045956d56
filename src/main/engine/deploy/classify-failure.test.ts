import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { classifyFailure, type FailureFacts } from './classify-failure';

function facts(overrides: Partial<FailureFacts> = {}): FailureFacts {
  return {
    error: new Error('boom'),
    stop: null,
    hostConnected: true,
    connectionError: false,
    engineStopped: false,
    dataDir: '/home/ana/.slipway',
    server: 'local',
    hostName: 'local',
    ...overrides,
  };
}

const refused = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' });

describe('classifyFailure', () => {
  it('ends a canceled deployment CANCELED, naming who canceled it, whatever the error', () => {
    expect(
      classifyFailure(facts({ stop: { kind: 'cancel', by: 'ana' }, error: refused, connectionError: true })),
    ).toEqual({
      phase: 'CANCELED',
      error: { code: 'CANCELED', message: 'Canceled by ana; the previous version is still live.' },
    });
  });

  it('reports a killed build as BUILD_KILLED', () => {
    expect(classifyFailure(facts({ stop: { kind: 'kill', by: 'cli' } }))).toEqual({
      phase: 'ERROR',
      error: { code: 'BUILD_KILLED', message: 'The build was killed by cli; the previous version is still live.' },
    });
  });

  it('says a shutdown interrupted the deployment, even when the connection went with it', () => {
    expect(classifyFailure(facts({ stop: { kind: 'shutdown', by: 'slipway' }, hostConnected: false }))).toEqual({
      phase: 'ERROR',
      error: { code: 'DEPLOY_FAILED', message: 'Interrupted: Slipway stopped while this deployment ran.' },
    });
  });

  it("blames a lost SSH connection rather than the error it caused, naming the app's server", () => {
    expect(
      classifyFailure(
        facts({ hostConnected: false, error: refused, connectionError: true, server: 'prod', hostName: 'prod' }),
      ),
    ).toEqual({
      phase: 'ERROR',
      error: {
        code: 'DEPLOY_FAILED',
        message: 'Interrupted: the connection to prod was lost; the previous version still runs there.',
      },
    });
  });

  it('says where the Docker engine does not answer: this machine, or a server', () => {
    expect(classifyFailure(facts({ error: refused, connectionError: true }))).toEqual({
      phase: 'ERROR',
      error: {
        code: 'DOCKER_UNREACHABLE',
        message:
          'The Docker engine on this machine does not answer (ECONNREFUSED). Start it and deploy again; the previous version is untouched.',
      },
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(
      classifyFailure(facts({ error: reset, connectionError: true, server: 'prod', hostName: 'prod' })).error,
    ).toEqual({
      code: 'DOCKER_UNREACHABLE',
      message:
        'The Docker engine on prod does not answer (ECONNRESET). Start it and deploy again; the previous version is untouched.',
    });
  });

  it('blames a Docker engine that stopped answering midway, not the killed step it leaves behind', () => {
    const error = new SlipwayError('BUILD_FAILED', "The command '/bin/sh -c sleep 60' returned a non-zero code: 137");
    expect(classifyFailure(facts({ error, engineStopped: true, server: 'prod', hostName: 'prod' }))).toEqual({
      phase: 'ERROR',
      error: {
        code: 'DOCKER_UNREACHABLE',
        message:
          'The Docker engine on prod stopped answering during this deployment (it was stopped or restarted). ' +
          'Once it answers again, Slipway removes what this deployment made; then deploy again. ' +
          'The previous version is untouched.',
      },
    });
    // A lost SSH connection still speaks first.
    expect(
      classifyFailure(facts({ error, engineStopped: true, hostConnected: false, server: 'prod' })).error.message,
    ).toMatch(/connection to prod was lost/);
  });

  it("names the data folder when this machine's disk is full", () => {
    const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(classifyFailure(facts({ error }))).toEqual({
      phase: 'ERROR',
      error: {
        code: 'DISK_FULL',
        message:
          "The disk that holds Slipway's data folder (/home/ana/.slipway) is full: no space left on device. " +
          'Free some space and deploy again; the previous version is untouched.',
      },
    });
  });

  it("keeps a SlipwayError's own code and message", () => {
    const error = new SlipwayError('HEALTH_CHECK_FAILED', 'web did not answer on /healthz within 30 s.');
    expect(classifyFailure(facts({ error }))).toEqual({
      phase: 'ERROR',
      error: { code: 'HEALTH_CHECK_FAILED', message: 'web did not answer on /healthz within 30 s.' },
    });
    // A SlipwayError is never mistaken for an engine that does not answer.
    expect(classifyFailure(facts({ error, connectionError: true })).error.code).toBe('HEALTH_CHECK_FAILED');
  });

  it('reports anything else as an unexpected DEPLOY_FAILED, also when what was thrown is no Error', () => {
    expect(classifyFailure(facts({ error: new TypeError('x is undefined') }))).toEqual({
      phase: 'ERROR',
      error: { code: 'DEPLOY_FAILED', message: 'Unexpected error: x is undefined' },
    });
    expect(classifyFailure(facts({ error: 'plain string' })).error.message).toBe('Unexpected error: plain string');
    expect(classifyFailure(facts({ error: null })).error.message).toBe('Unexpected error: null');
  });
});
