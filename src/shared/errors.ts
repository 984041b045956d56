/**
 * Every failure that crosses a Slipway boundary (IPC, WebSocket, CLI) carries a
 * stable code, so callers branch on the code and never on the wording.
 */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'FORBIDDEN_SENDER',
  'TRANSPORT_CLOSED',
  'DOCKER_UNREACHABLE',
  'SSH_UNREACHABLE',
  'SSH_AUTH_FAILED',
  'HOST_KEY_UNTRUSTED',
  'HOST_KEY_MISMATCH',
  'ENGINE_LOCKED',
  'ENGINE_UNREACHABLE',
  'ENGINE_VERSION_MISMATCH',
  'ENGINE_STOPPING',
  'ENGINE_LOST',
  'SECRET_UNREADABLE',
  'SECRET_KEY_MISSING',
  'STATE_DAMAGED',
  'STATE_TOO_NEW',
  'APP_NOT_FOUND',
  'APP_EXISTS',
  'DEPLOYMENT_NOT_FOUND',
  'SPEC_INVALID',
  'BUILD_FAILED',
  'IMAGE_UNAVAILABLE',
  'DATABASE_NOT_FOUND',
  'DATABASE_CHANGE_REFUSED',
  'SESSION_NOT_FOUND',
  'SESSION_LIMIT',
  'DEPLOY_FAILED',
  'HEALTH_CHECK_FAILED',
  'JOB_FAILED',
  'CANCELED',
  'BUILD_KILLED',
  'NOTHING_RUNNING',
  'ROLLBACK_UNAVAILABLE',
  'ROLLBACK_PINNED',
  'SERVER_NOT_FOUND',
  /** The server's edge: a port it needs is taken, it is not enabled, or its admin API refused a change. */
  'EDGE_PORT_IN_USE',
  'EDGE_NOT_ENABLED',
  'EDGE_FAILED',
  /** A host name of `domains:` that another app on the same edge already serves. */
  'DOMAIN_TAKEN',
  'SOURCE_NOT_FOUND',
  'GIT_FAILED',
  'BUILD_CONTEXT_INVALID',
  'LANGUAGE_UNSUPPORTED',
  'DISK_FULL',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** The one error type Slipway throws on purpose; anything else is reported as INTERNAL. */
export class SlipwayError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'SlipwayError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromPayload(payload: ErrorPayload): SlipwayError {
    return new SlipwayError(payload.code, payload.message, payload.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
