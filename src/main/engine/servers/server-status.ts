import os from 'node:os';
import type { ServerStatus, ServerSummary } from '../../../shared/domains/servers';
import { SlipwayError } from '../../../shared/errors';
import { withTimeout } from '../base/with-timeout';
import type { DockerHost } from '../hosts/docker-host';
import type { SshDockerHost } from '../hosts/ssh-docker-host';
import type { ServerRecord } from '../store/state-store';

/** How long one server may take to answer a status check before it counts as offline. */
export const STATUS_TIMEOUT_MS = 8_000;

/** A status call bounded in time: a server that does not answer is reported, never waited for. */
const withinStatusTime = <T>(promise: Promise<T>, ms: number, what: string) =>
  withTimeout(promise, ms, {
    error: () => new SlipwayError('SSH_UNREACHABLE', `${what} did not answer within ${ms / 1000} s.`),
  });

/** What a server's card shows: its record, and its last status with the apps counted now. */
export function serverSummary(record: ServerRecord, status: ServerStatus | undefined, apps: number): ServerSummary {
  return {
    name: record.name,
    kind: 'ssh',
    host: record.host,
    port: record.port,
    user: record.user,
    auth: record.auth.type,
    jump: record.jump,
    dockerSocket: record.dockerSocket,
    hostKey: record.hostKey,
    status: {
      ...(status ?? {
        state: 'offline',
        reason: 'not checked yet',
        checkedAt: new Date(0).toISOString(),
      }),
      // Counted now, not when the server was last checked: apps come and go between checks.
      apps,
    },
  };
}

/** The status of a server whose connection just dropped. */
export function connectionLostStatus(apps: number): ServerStatus {
  return { state: 'offline', reason: 'connection lost', apps, checkedAt: new Date().toISOString() };
}

/**
 * Checks one server: connection, Docker version, free disk; each step
 * bounded by `timeoutMs`. A key not trusted yet gives `untrusted` with the
 * presented fingerprint; any other failure gives `offline` with its reason.
 */
export async function probeServer(
  record: Pick<ServerRecord, 'name' | 'host' | 'port'>,
  host: () => Promise<SshDockerHost>,
  apps: number,
  timeoutMs = STATUS_TIMEOUT_MS,
): Promise<ServerStatus> {
  const checkedAt = new Date().toISOString();
  try {
    const connected = await withinStatusTime(host(), timeoutMs, `${record.host}:${record.port}`);
    const [version, info] = await withinStatusTime(
      Promise.all([connected.docker.version(), connected.docker.info() as Promise<{ DockerRootDir?: string }>]),
      timeoutMs,
      `The Docker engine on ${record.name}`,
    );
    const diskFree = await withinStatusTime(connected.diskFree(info.DockerRootDir ?? '/'), timeoutMs, 'statvfs').catch(
      () => undefined,
    );
    return { state: 'online', dockerVersion: version.Version, apps, checkedAt, ...(diskFree ? { diskFree } : {}) };
  } catch (err) {
    const e = err as SlipwayError;
    const presented = (e.details as { presented?: string } | undefined)?.presented;
    return e.code === 'HOST_KEY_UNTRUSTED' && presented
      ? { state: 'untrusted', reason: e.message, presentedFingerprint: presented, apps, checkedAt }
      : { state: 'offline', reason: e.message, apps, checkedAt };
  }
}

/** This machine's Docker engine, as a server: online with its version, or offline with the reason. */
export async function localServerSummary(
  local: DockerHost & { endpoint: string },
  /** Counted once the engine has answered (or not). */
  apps: () => number,
  timeoutMs = STATUS_TIMEOUT_MS,
): Promise<ServerSummary> {
  let status: ServerStatus;
  try {
    const version = await withinStatusTime(local.docker.version(), timeoutMs, 'The local Docker engine');
    status = { state: 'online', dockerVersion: version.Version, apps: apps(), checkedAt: new Date().toISOString() };
  } catch (err) {
    status = { state: 'offline', reason: (err as Error).message, apps: apps(), checkedAt: new Date().toISOString() };
  }
  return {
    name: 'local',
    kind: 'local',
    host: local.endpoint,
    port: 0,
    user: os.userInfo().username,
    auth: 'local',
    jump: null,
    dockerSocket: local.endpoint,
    hostKey: null,
    status,
  };
}
