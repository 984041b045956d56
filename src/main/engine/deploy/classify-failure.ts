import type { DeploymentPhase } from '../../../shared/deployment';
import { SlipwayError } from '../../../shared/errors';
import type { DeploymentStop } from './deploy-queue';

export interface FailureFacts {
  /** What the deployment threw. */
  error: unknown;
  /** Why the deployment was stopped, when it was (cancel, kill, shutdown). */
  stop: Pick<DeploymentStop, 'kind' | 'by'> | null;
  /** False when the host's connection (a server's SSH connection) is lost. */
  hostConnected: boolean;
  /** Whether the error says the Docker engine could not be reached at all (see docker/docker-errors.ts). */
  connectionError: boolean;
  /** True when the Docker engine did not answer right after the failure, its host still connected. */
  engineStopped: boolean;
  /** Slipway's data folder: the only place a deployment writes on this machine's disk. */
  dataDir: string;
  /** The app's server (`local` or a server's name), as the user named it. */
  server: string;
  /** The Docker host's name: `local` for this machine. */
  hostName: string;
}

export interface FailureOutcome {
  phase: Extract<DeploymentPhase, 'ERROR' | 'CANCELED'>;
  error: { code: string; message: string };
}

/**
 * How a deployment that did not go live ends, and what it says. A stop
 * speaks first (the error it caused says less), then a lost connection
 * (which makes any Docker error a consequence), then an engine that does not
 * answer (or stopped answering midway), a full disk, then the error itself.
 */
export function classifyFailure(facts: FailureFacts): FailureOutcome {
  const { error, stop } = facts;
  const known = error instanceof SlipwayError;
  if (stop?.kind === 'cancel') {
    return {
      phase: 'CANCELED',
      error: { code: 'CANCELED', message: `Canceled by ${stop.by}; the previous version is still live.` },
    };
  }
  if (stop?.kind === 'kill') {
    return failed('BUILD_KILLED', `The build was killed by ${stop.by}; the previous version is still live.`);
  }
  if (stop?.kind === 'shutdown') {
    return failed('DEPLOY_FAILED', 'Interrupted: Slipway stopped while this deployment ran.');
  }
  if (!facts.hostConnected) {
    return failed(
      'DEPLOY_FAILED',
      `Interrupted: the connection to ${facts.server} was lost; the previous version still runs there.`,
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  const where = facts.hostName === 'local' ? 'on this machine' : `on ${facts.hostName}`;
  if (!known && facts.connectionError) {
    return failed(
      'DOCKER_UNREACHABLE',
      `The Docker engine ${where} does not answer (${String(code)}). Start it and deploy again; the previous version is untouched.`,
    );
  }
  // The error is only what the engine's going did to the step under way (a killed build step, a lost stream).
  if (facts.engineStopped) {
    return failed(
      'DOCKER_UNREACHABLE',
      `The Docker engine ${where} stopped answering during this deployment (it was stopped or restarted). ` +
        'Once it answers again, Slipway removes what this deployment made; then deploy again. ' +
        'The previous version is untouched.',
    );
  }
  if (!known && code === 'ENOSPC') {
    return failed(
      'DISK_FULL',
      `The disk that holds Slipway's data folder (${facts.dataDir}) is full: no space left on device. ` +
        'Free some space and deploy again; the previous version is untouched.',
    );
  }
  if (known) return failed(error.code, error.message);
  return failed('DEPLOY_FAILED', `Unexpected error: ${(error as Error)?.message ?? String(error)}`);
}

function failed(code: string, message: string): FailureOutcome {
  return { phase: 'ERROR', error: { code, message } };
}
