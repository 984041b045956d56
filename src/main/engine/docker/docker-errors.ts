import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from '../hosts/docker-host';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);

/** The HTTP status of a Docker API error, when the engine answered with one. */
export function dockerStatusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number } | null)?.statusCode;
}

/** True when the engine answered that the object asked for does not exist (404). */
export function isNotFound(err: unknown): boolean {
  return dockerStatusOf(err) === 404;
}

/** True when an error from dockerode means the engine could not be reached at all. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code);
}

/** Wraps a failure to reach a Docker engine in a DOCKER_UNREACHABLE error that says where and why. */
export function dockerUnreachable(endpoint: string, err: unknown): SlipwayError {
  const reason = (err as { code?: string; message?: string } | null)?.code ?? 'no answer';
  return new SlipwayError(
    'DOCKER_UNREACHABLE',
    `The Docker engine at ${endpoint} does not answer (${reason}). Start Docker, or set DOCKER_HOST to where it listens.`,
    { endpoint, reason },
  );
}

/** Whether a host's Docker engine answers a ping now. */
export function engineAnswers(host: DockerHost): Promise<boolean> {
  return host.docker.ping().then(
    () => true,
    () => false,
  );
}
