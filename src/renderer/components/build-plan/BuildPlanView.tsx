import type { SpecPlanResult } from '../../../shared/build-plan';
import type { SpecProblem } from '../../../shared/spec/app-spec';
import { BuildPlanCard } from './BuildPlanCard';

/** A component Slipway cannot build (a language it does not know yet, …): where, and what to do. */
function PlanProblem({ problem }: { problem: SpecProblem }) {
  return (
    <section className="plan-card plan-card-error" data-testid="plan-error" data-path={problem.path} role="alert">
      <header className="plan-card-header">
        <h3 className="mono">{problem.path || '(spec)'}</h3>
        <span className="plan-recipe plan-recipe-error">Cannot build</span>
      </header>
      <p className="callout-body">{problem.message}</p>
    </section>
  );
}

/**
 * The build plan of a spec: per component, how Slipway will build and run it,
 * with the Dockerfile it generates when the source has none.
 */
export function BuildPlanView({ result }: { result: SpecPlanResult }) {
  if (result.plans.length === 0 && result.errors.length === 0) {
    return <p className="muted">Nothing to build: every component runs an image.</p>;
  }
  return (
    <div className="build-plan" data-testid="build-plan-components">
      {result.plans.map((plan) => (
        <BuildPlanCard key={plan.component} plan={plan} />
      ))}
      {result.errors.map((problem, i) => (
        <PlanProblem key={`${problem.path}/${i}`} problem={problem} />
      ))}
    </div>
  );
}
