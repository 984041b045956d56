import type { DatabaseHealth } from '../../shared/domains/databases';

const LABEL: Record<DatabaseHealth, string> = {
  healthy: 'Healthy',
  starting: 'Starting',
  unhealthy: 'Unhealthy',
  stopped: 'Stopped',
  missing: 'Not created yet',
  unreachable: 'Unreachable',
};

const TONE: Record<DatabaseHealth, 'ok' | 'progress' | 'danger' | 'warning' | 'neutral'> = {
  healthy: 'ok',
  starting: 'progress',
  unhealthy: 'danger',
  stopped: 'warning',
  missing: 'neutral',
  unreachable: 'warning',
};

/** A database's health as its engine reports it. */
export function DatabaseHealthBadge({ health }: { health: DatabaseHealth }) {
  const tone = TONE[health];
  return (
    <span className={`badge badge-small tone-${tone}`} data-testid="db-health" data-health={health}>
      <span className={`badge-dot ${tone === 'progress' ? 'pulse' : ''}`} aria-hidden="true" />
      {LABEL[health]}
    </span>
  );
}
