import type { HealthCheck } from '../../../shared/spec/app-spec';
import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from '../hosts/docker-host';
import { probeHttp, probeTcp, type ProbeResult } from './probes';

/** How an instance proves it is healthy. */
export type HealthPlan =
  /** The spec's health check (or DigitalOcean's default TCP check) against the published port. */
  | { kind: 'probe'; hostPort: number; check: HealthCheck }
  /** The image's own Docker HEALTHCHECK. */
  | { kind: 'docker'; timeoutSeconds: number }
  /** Nothing to ask: the container must still be running after this long. */
  | { kind: 'running'; seconds: number };

/** Describes a plan for the deploy log. */
export function describeHealthPlan(plan: HealthPlan): string {
  if (plan.kind === 'docker') return "the image's HEALTHCHECK";
  if (plan.kind === 'running') return `still running after ${plan.seconds} s`;
  const { check, hostPort } = plan;
  const what = check.httpPath ? `GET ${check.httpPath}` : 'a TCP connection';
  return `${what} on port ${hostPort} (every ${check.periodSeconds} s, ${check.successThreshold} success(es) to pass, ${check.failureThreshold} failure(s) to fail)`;
}

/** Waits `ms`, or rejects with the signal's reason; the abort listener goes when the wait ends, so polling never piles them up. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

async function stateOf(host: DockerHost, containerId: string) {
  const info = await host.docker.getContainer(containerId).inspect();
  return info.State;
}

function exited(state: { Running: boolean; ExitCode: number; Restarting?: boolean }): SlipwayError | null {
  if (state.Running && !state.Restarting) return null;
  return new SlipwayError('HEALTH_CHECK_FAILED', `The container stopped (exit code ${state.ExitCode}).`);
}

/**
 * Waits until a started container is healthy by its plan, or throws
 * HEALTH_CHECK_FAILED with the reason. A container that exits fails at once.
 */
export async function waitHealthy(
  host: DockerHost,
  containerId: string,
  plan: HealthPlan,
  signal?: AbortSignal,
): Promise<void> {
  if (plan.kind === 'running') {
    const deadline = Date.now() + plan.seconds * 1000;
    while (Date.now() < deadline) {
      const stopped = exited(await stateOf(host, containerId));
      if (stopped) throw stopped;
      await sleep(Math.min(250, Math.max(0, deadline - Date.now())), signal);
    }
    const stopped = exited(await stateOf(host, containerId));
    if (stopped) throw stopped;
    return;
  }

  if (plan.kind === 'docker') {
    const deadline = Date.now() + plan.timeoutSeconds * 1000;
    for (;;) {
      const state = await stateOf(host, containerId);
      const stopped = exited(state);
      if (stopped) throw stopped;
      const health = state.Health?.Status;
      if (health === 'healthy') return;
      if (health === 'unhealthy' || Date.now() > deadline) {
        const last = state.Health?.Log?.at(-1)?.Output?.trim();
        throw new SlipwayError(
          'HEALTH_CHECK_FAILED',
          `The image's HEALTHCHECK reports ${health ?? 'nothing'}${last ? `: ${last}` : ''}.`,
        );
      }
      await sleep(250, signal);
    }
  }

  const { check, hostPort } = plan;
  await sleep(check.initialDelaySeconds * 1000, signal);
  const probe = (): Promise<ProbeResult> =>
    check.httpPath
      ? probeHttp(host, hostPort, check.httpPath, check.timeoutSeconds * 1000)
      : probeTcp(host, hostPort, check.timeoutSeconds * 1000);

  // Failures count once per period, as DigitalOcean counts them; while the app
  // starts, it is asked more often so that a fast app goes live fast.
  const periodMs = check.periodSeconds * 1000;
  let failures = 0;
  let successes = 0;
  let nextCountedFailure = Date.now() + periodMs;
  let lastReason: string;
  let retryMs = 50;
  for (;;) {
    const stopped = exited(await stateOf(host, containerId));
    if (stopped) throw stopped;
    const result = await probe();
    if (result.ok) {
      successes++;
      if (successes >= check.successThreshold) return;
      await sleep(periodMs, signal);
      continue;
    }
    successes = 0;
    lastReason = result.reason;
    if (Date.now() >= nextCountedFailure) {
      failures++;
      nextCountedFailure = Date.now() + periodMs;
      if (failures >= check.failureThreshold) {
        throw new SlipwayError('HEALTH_CHECK_FAILED', `The health check failed ${failures} times: ${lastReason}.`);
      }
    }
    // A starting app is asked every 50 ms at first, then less often, up to every 200 ms.
    await sleep(Math.min(retryMs, periodMs), signal);
    retryMs = Math.min(200, retryMs + 10);
  }
}
