import type { ReactNode } from 'react';
import type { PlanState } from '../../lib/use-build-plan';
import { BuildPlanView } from './BuildPlanView';

/** The "Build plan" section: the engine's answer for the spec on screen, or why there is none. */
export function BuildPlanPanel({
  plan,
  idleText,
  headingLevel = 3,
  className = '',
  lead,
}: {
  plan: PlanState;
  /** Said before there is a spec to plan. */
  idleText: ReactNode;
  headingLevel?: 2 | 3;
  className?: string;
  /** Said under the heading. */
  lead?: ReactNode;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const shown = plan.state === 'done' ? plan.result : plan.state === 'planning' ? plan.last : null;
  return (
    <section
      className={`build-plan-panel ${className}`.trim()}
      aria-labelledby="build-plan-title"
      data-testid="build-plan"
    >
      <header className="build-plan-header">
        <div>
          <Heading id="build-plan-title">Build plan</Heading>
          {lead ? <p className="panel-sub muted">{lead}</p> : null}
        </div>
        <span className="muted" role="status" data-testid="build-plan-state">
          {plan.state === 'planning' ? 'Reading the source…' : ''}
        </span>
      </header>
      {plan.state === 'idle' ? <p className="muted">{idleText}</p> : null}
      {plan.state === 'failed' ? (
        <div className="muted" data-testid="build-plan-failed">
          <p>No build plan: {plan.error.message}</p>
          {plan.error.problems?.errors.length ? (
            <ul className="issue-list">
              {plan.error.problems.errors.map((p, i) => (
                <li key={i}>
                  <code>{p.path || '(spec)'}</code> {p.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {shown ? <BuildPlanView result={shown} /> : null}
    </section>
  );
}
