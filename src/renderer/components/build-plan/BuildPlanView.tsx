import type { DatabasePlan, SpecPlanResult } from '../../../shared/build-plan';
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

/** A database the app runs with: its image and where its data lives. Nothing of it is built. */
function DatabasePlanCard({ db }: { db: DatabasePlan }) {
  return (
    <section className="plan-card" data-testid="plan-database" data-name={db.name}>
      <header className="plan-card-header">
        <h3 className="mono">{db.name}</h3>
        <span className="plan-recipe">
          {db.engine} {db.version}
        </span>
      </header>
      <p className="callout-body">
        Runs from <span className="mono">{db.image}</span>, its data on the volume{' '}
        <span className="mono">{db.volume}</span>, started before the components.
      </p>
    </section>
  );
}

/**
 * The build plan of a spec: per component, how Slipway will build and run it,
 * with the Dockerfile it generates when the source has none.
 */
export function BuildPlanView({ result }: { result: SpecPlanResult }) {
  const databases = result.databases.map((db) => <DatabasePlanCard key={db.name} db={db} />);
  if (result.plans.length === 0 && result.errors.length === 0) {
    return (
      <>
        <p className="muted">Nothing to build: every component runs an image.</p>
        {databases.length > 0 ? <div className="build-plan">{databases}</div> : null}
      </>
    );
  }
  return (
    <div className="build-plan" data-testid="build-plan-components">
      {result.plans.map((plan) => (
        <BuildPlanCard key={plan.component} plan={plan} />
      ))}
      {databases}
      {result.errors.map((problem, i) => (
        <PlanProblem key={`${problem.path}/${i}`} problem={problem} />
      ))}
    </div>
  );
}
