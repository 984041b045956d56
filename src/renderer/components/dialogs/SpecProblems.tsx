import type { SpecProblem } from '../../../shared/spec/app-spec';
import { plural } from '../../lib/format';

/**
 * A spec's errors (which stopped the request, so they take the dialog's error
 * place) or its warnings (fields Slipway does not honour), listed by field.
 */
export function SpecProblems({ severity, problems }: { severity: 'error' | 'warning'; problems: SpecProblem[] }) {
  if (problems.length === 0) return null;
  const error = severity === 'error';
  return (
    <div
      className={error ? 'callout callout-error' : 'callout callout-warning'}
      role={error ? 'alert' : undefined}
      data-testid={error ? 'dialog-error' : 'spec-warnings'}
    >
      <p className="callout-title">
        {error ? (
          <>The spec has {plural(problems.length, 'error')}:</>
        ) : (
          <>
            {plural(problems.length, 'warning')}: {problems.length === 1 ? 'this field is' : 'these fields are'} not
            honoured by Slipway
          </>
        )}
      </p>
      <ul className="issue-list">
        {problems.map((p, i) => (
          <li key={i}>
            <code>{p.path || '(spec)'}</code> {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
