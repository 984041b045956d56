import type { ReactNode } from 'react';
import type { BuildPlan } from '../../../shared/build-plan';
import { ownDockerfilePath, recipeTitle, stepText, takeOverHint, versionText } from '../../lib/build-plan-text';
import { CodeBlock } from './CodeBlock';

function Fact({
  label,
  testId,
  mono,
  children,
}: {
  label: string;
  testId: string;
  mono?: boolean;
  children: ReactNode;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

/** How one component will be built and started: its recipe, why, its steps, and the Dockerfile Slipway writes for it. */
export function BuildPlanCard({ plan }: { plan: BuildPlan }) {
  const version = versionText(plan);
  const own = plan.recipe === 'dockerfile';
  return (
    <section
      className="plan-card"
      data-testid="plan-component"
      data-component={plan.component}
      data-recipe={plan.recipe}
      aria-label={`Build plan of ${plan.component}`}
    >
      <header className="plan-card-header">
        <h3 className="mono">{plan.component}</h3>
        <span className="plan-recipe" data-testid="plan-recipe">
          {recipeTitle(plan.recipe)}
        </span>
      </header>
      {own ? (
        <p className="plan-own" data-testid="plan-own-dockerfile">
          Built with your Dockerfile at <code>{ownDockerfilePath(plan)}</code>
        </p>
      ) : null}
      <dl className="facts facts-plain facts-compact plan-facts">
        <Fact label="Detected by" testId="plan-detected-by">
          {plan.detectedBy}
        </Fact>
        {version ? (
          <Fact label="Version" testId="plan-version">
            {version}
          </Fact>
        ) : null}
        {(['install', 'build', 'start'] as const).map((step) => (
          <Fact key={step} label={step[0]!.toUpperCase() + step.slice(1)} testId={`plan-${step}`} mono={!!plan[step]}>
            {stepText(plan, step)}
          </Fact>
        ))}
        {plan.baseImages.length ? (
          <Fact label={plan.baseImages.length === 1 ? 'Base image' : 'Base images'} testId="plan-base-images" mono>
            {plan.baseImages.join(', ')}
          </Fact>
        ) : null}
      </dl>
      {plan.dockerfile !== null ? (
        <div className="plan-generated">
          <p className="field-hint" data-testid="plan-take-over">
            {takeOverHint(plan)}
          </p>
          <CodeBlock
            title="Generated Dockerfile"
            text={plan.dockerfile}
            copyLabel="Copy Dockerfile"
            testId="plan-dockerfile"
          />
          {Object.entries(plan.files).map(([file, text]) => (
            <CodeBlock key={file} title={file} text={text} copyLabel="Copy file" testId="plan-file" />
          ))}
        </div>
      ) : null}
    </section>
  );
}
