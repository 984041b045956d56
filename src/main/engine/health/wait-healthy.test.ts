import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { DockerHost } from '../hosts/docker-host';
import { waitHealthy } from './wait-healthy';

/** A host whose one container reports `state` to every inspect. */
function hostWithContainer(state: () => Record<string, unknown>): DockerHost {
  return {
    docker: { getContainer: () => ({ inspect: async () => ({ State: state() }) }) },
  } as unknown as DockerHost;
}

describe('waitHealthy', () => {
  it('leaves no abort listener on the deployment signal after polling many times', async () => {
    const controller = new AbortController();
    let inspections = 0;
    const host = hostWithContainer(() => {
      inspections++;
      return { Running: true, ExitCode: 0 };
    });
    await waitHealthy(host, 'c1', { kind: 'running', seconds: 1 }, controller.signal);
    expect(inspections).toBeGreaterThan(3);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('stops waiting with the signal reason when the deployment is canceled', async () => {
    const controller = new AbortController();
    const host = hostWithContainer(() => ({ Running: true, ExitCode: 0, Health: { Status: 'starting' } }));
    const waiting = waitHealthy(host, 'c1', { kind: 'docker', timeoutSeconds: 60 }, controller.signal);
    const reason = new Error('canceled by the user');
    setTimeout(() => controller.abort(reason), 50);
    await expect(waiting).rejects.toBe(reason);
  });

  it('fails at once when the container has exited, naming its exit code', async () => {
    const host = hostWithContainer(() => ({ Running: false, ExitCode: 3 }));
    await expect(waitHealthy(host, 'c1', { kind: 'running', seconds: 5 })).rejects.toMatchObject({
      code: 'HEALTH_CHECK_FAILED',
      message: 'The container stopped (exit code 3).',
    });
  });
});
