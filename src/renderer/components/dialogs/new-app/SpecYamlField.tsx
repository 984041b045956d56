import type { ReactNode } from 'react';
import { plural } from '../../../lib/format';
import { latestResult, type Validation } from '../../../lib/use-spec-validation';
import { SpecEditor, type LocatedProblem } from '../../SpecEditor';

const SAMPLE = `name: my-app
services:
  - name: web
    dockerfile_path: Dockerfile
    http_port: 8080
`;

function validationText(validation: Validation): string {
  const result = latestResult(validation);
  if (validation.state === 'checking') return 'Checking…';
  if (!result) return '';
  if (result.errors.length) return plural(result.errors.length, 'error');
  return `Valid${result.warnings.length ? ` · ${plural(result.warnings.length, 'warning')}` : ''}`;
}

/**
 * The spec the app is created from, as YAML, with the engine's verdict on it
 * as it is typed; while it is empty, `offerExample` offers a sample to start from.
 */
export function SpecYamlField({
  value,
  onChange,
  validation,
  problems,
  offerExample,
  hint,
}: {
  value: string;
  onChange(value: string): void;
  validation: Validation;
  problems: LocatedProblem[];
  offerExample: boolean;
  hint?: ReactNode;
}) {
  return (
    <div className="field">
      <span className="field-label-row">
        <label htmlFor="new-spec">App spec (YAML)</label>
        {offerExample && !value ? (
          <button type="button" className="link-button" onClick={() => onChange(SAMPLE)}>
            Start from an example
          </button>
        ) : (
          <span className="validation-state" role="status" data-testid="validation-state">
            {validationText(validation)}
          </span>
        )}
      </span>
      <SpecEditor
        id="new-spec"
        label="App spec"
        value={value}
        onChange={onChange}
        problems={problems}
        rows={12}
        testId="spec-yaml"
      />
      {hint ? <span className="field-hint">{hint}</span> : null}
    </div>
  );
}
