import type { DeploymentStep } from '../../shared/deployment';
import { formatDuration } from '../lib/format';
import { Icon, type IconName } from './Icons';

const STATUS_ICON: Record<DeploymentStep['status'], IconName> = {
  PENDING: 'dot',
  RUNNING: 'dot',
  SUCCESS: 'check',
  ERROR: 'cross',
  SKIPPED: 'skip',
};

function stepDuration(step: DeploymentStep, now: number): string | null {
  if (!step.startedAt) return null;
  const start = Date.parse(step.startedAt);
  const end = step.endedAt ? Date.parse(step.endedAt) : now;
  return Number.isFinite(start) && Number.isFinite(end) ? formatDuration(end - start) : null;
}

function Step({ step, now }: { step: DeploymentStep; now: number }) {
  const duration = stepDuration(step, now);
  return (
    <li
      className={`step step-${step.status.toLowerCase()}`}
      data-testid="step"
      data-step={step.name}
      data-status={step.status}
    >
      <div className="step-row">
        <span className={`step-icon ${step.status === 'RUNNING' ? 'spin' : ''}`} aria-hidden="true">
          <Icon name={STATUS_ICON[step.status]} />
        </span>
        <span className="step-title">{step.title}</span>
        <span className="visually-hidden">{step.status.toLowerCase()}</span>
        {duration ? <span className="step-time mono">{duration}</span> : null}
      </div>
      {step.reason ? <p className="step-reason">{step.reason}</p> : null}
      {step.steps?.length ? (
        <ol className="step-children">
          {step.steps.map((child) => (
            <Step key={child.name} step={child} now={now} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** A deployment's progress as App Platform draws it: build, then deploy, each with its parts and reasons. */
export function StepTree({ steps, now }: { steps: DeploymentStep[]; now: number }) {
  return (
    <ol className="step-tree" data-testid="step-tree">
      {steps.map((step) => (
        <Step key={step.name} step={step} now={now} />
      ))}
    </ol>
  );
}
