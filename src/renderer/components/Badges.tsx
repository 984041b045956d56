import type { AppStatus } from '../../shared/domains/apps';
import type { DeploymentPhase } from '../../shared/deployment';
import { PHASE_LABEL, phaseTone, STATUS_LABEL, statusTone } from '../lib/format';

/** An app's status; while it deploys, the phase of the deployment in flight. */
export function StatusBadge({ status, phase }: { status: AppStatus; phase?: DeploymentPhase | null }) {
  const tone = statusTone(status);
  const text =
    status === 'deploying' && phase ? `${STATUS_LABEL.deploying} · ${PHASE_LABEL[phase]}` : STATUS_LABEL[status];
  return (
    <span
      className={`badge tone-${tone}`}
      data-testid="app-status"
      data-status={status}
      data-phase={phase ?? undefined}
    >
      <span className={`badge-dot ${tone === 'progress' ? 'pulse' : ''}`} aria-hidden="true" />
      {text}
    </span>
  );
}

export function PhaseBadge({ phase }: { phase: DeploymentPhase }) {
  const tone = phaseTone(phase);
  return (
    <span className={`badge badge-small tone-${tone}`} data-testid="phase" data-phase={phase}>
      <span className={`badge-dot ${tone === 'progress' ? 'pulse' : ''}`} aria-hidden="true" />
      {PHASE_LABEL[phase]}
    </span>
  );
}

export function LiveMarker() {
  return (
    <span className="live-marker" data-testid="live-marker">
      LIVE
    </span>
  );
}
