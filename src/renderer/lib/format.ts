import type { AppStatus } from '../../shared/domains/apps';
import type { DeploymentPhase } from '../../shared/deployment';

/**
 * A deployment id as shown: whole. Its first nine characters are its creation
 * time, so a prefix would not tell two deployments of the same moment apart,
 * and the CLI takes the whole id.
 */
export function displayId(id: string): string {
  return id;
}

/** A git commit as people read it. */
export function shortRevision(revision: string | null): string {
  return revision ? revision.slice(0, 7) : 'local folder';
}

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const ABSOLUTE = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function parse(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const time = Date.parse(iso);
  return Number.isFinite(time) ? time : undefined;
}

/** "12 sec. ago", "3 min. ago", "yesterday": how long ago an ISO time was, from `now`. */
export function timeAgo(iso: string | undefined, now: number): string {
  const time = parse(iso);
  if (time === undefined) return '—';
  const seconds = Math.round((time - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 10) return 'just now';
  if (abs < 60) return RELATIVE.format(seconds, 'second');
  if (abs < 3600) return RELATIVE.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return RELATIVE.format(Math.round(seconds / 3600), 'hour');
  return RELATIVE.format(Math.round(seconds / 86_400), 'day');
}

/** The full local date and time, for tooltips and Activity. */
export function formatTime(iso: string | undefined): string {
  const time = parse(iso);
  return time === undefined ? '—' : ABSOLUTE.format(time);
}

/** "850 ms", "42 s", "3 min 05 s", "2 h 07 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** How long a deployment took, or has taken so far. */
export function deploymentDuration(d: { createdAt: string; finishedAt?: string }, now: number): string {
  const start = parse(d.createdAt);
  if (start === undefined) return '—';
  const end = parse(d.finishedAt) ?? now;
  return formatDuration(end - start);
}

export const PHASE_LABEL: Record<DeploymentPhase, string> = {
  PENDING_BUILD: 'Queued',
  BUILDING: 'Building',
  PENDING_DEPLOY: 'Built',
  DEPLOYING: 'Deploying',
  ACTIVE: 'Active',
  SUPERSEDED: 'Superseded',
  ERROR: 'Failed',
  CANCELED: 'Canceled',
  DROPPED: 'Dropped',
};

/** The tone a phase is shown in. */
export function phaseTone(phase: DeploymentPhase): 'ok' | 'progress' | 'danger' | 'neutral' {
  switch (phase) {
    case 'ACTIVE':
      return 'ok';
    case 'ERROR':
      return 'danger';
    case 'SUPERSEDED':
    case 'CANCELED':
    case 'DROPPED':
      return 'neutral';
    default:
      return 'progress';
  }
}

export const STATUS_LABEL: Record<AppStatus, string> = {
  new: 'Not deployed',
  deploying: 'Deploying',
  live: 'Live',
  degraded: 'Degraded',
  error: 'Failed',
  stopped: 'Stopped',
  unreachable: 'Not answering',
};

export function statusTone(status: AppStatus): 'ok' | 'progress' | 'danger' | 'warning' | 'neutral' {
  switch (status) {
    case 'live':
      return 'ok';
    case 'deploying':
      return 'progress';
    case 'error':
      return 'danger';
    case 'degraded':
    case 'unreachable':
      return 'warning';
    default:
      return 'neutral';
  }
}

/** "1 instance", "3 instances". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** "512 bytes", "3.4 GB", "120 GB": a size as people read it (powers of 1024, as `df -h`). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/**
 * "<count> most recent successful", with the count of deployments the engine keeps
 * images of (`system.storage`); without a number while it is not known.
 */
export function recentSuccessful(retained: number | null): string {
  return retained === null ? 'most recent successful' : `${retained.toLocaleString()} most recent successful`;
}
