import { useMemo, useState } from 'react';
import type { AppSummary } from '../../../shared/domains/apps';
import { useClient } from '../../client';
import { BuildPlanPanel } from '../../components/build-plan/BuildPlanPanel';
import { EnvTable } from '../../components/EnvTable';
import { locateProblems, SpecEditor } from '../../components/SpecEditor';
import { describeError, type ShownError } from '../../lib/errors';
import { useBuildPlan } from '../../lib/use-build-plan';
import { latestResult, useSpecValidation } from '../../lib/use-spec-validation';
import { useApps, useStores } from '../../stores/context';

export function SettingsTab({ app }: { app: AppSummary }) {
  const client = useClient();
  const { apps: appsStore, ui } = useStores();
  const detail = useApps((s) => s.details[app.name]);
  const [text, setText] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const saved = detail?.specYaml ?? '';
  const value = text ?? saved;
  const dirty = text !== null && text !== saved;
  const validation = useSpecValidation(value);
  const result = latestResult(validation);

  const problems = useMemo(() => locateProblems(value, result?.errors ?? [], result?.warnings ?? []), [value, result]);
  const hasErrors = (result?.errors.length ?? 0) > 0;
  // Planned as in the editor, like the env table: what the next deployment would build once saved.
  const buildPlan = useBuildPlan(
    result?.spec && detail
      ? { specYaml: value, ...(detail.sourcePath ? { sourcePath: detail.sourcePath } : {}) }
      : null,
  );

  const save = async () => {
    if (!detail) return;
    setSaving(true);
    setError(null);
    try {
      const updated = await client.apps.update({ app: app.name, specYaml: value });
      appsStore.getState().putDetail(updated);
      setText(null);
      ui.getState().toast({ tone: 'ok', text: `Saved the spec of ${app.name}. The next deployment uses it.` });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setSaving(false);
    }
  };

  if (!detail) return <p className="muted panel-note">Loading the spec…</p>;

  return (
    <div className="settings">
      <section className="panel" aria-labelledby="spec-title">
        <header className="panel-header">
          <div>
            <h2 id="spec-title">App spec</h2>
            <p className="panel-sub muted">
              DigitalOcean App Platform YAML. Secret values show as <code>********</code>; leave the mask to keep a
              stored secret, or type a new value to replace it.
            </p>
          </div>
          <span className="validation-state" role="status" data-testid="validation-state">
            {validation.state === 'checking'
              ? 'Checking…'
              : validation.state === 'failed'
                ? validation.message
                : result
                  ? hasErrors
                    ? `${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`
                    : result.warnings.length
                      ? `Valid · ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}`
                      : 'Valid'
                  : ''}
          </span>
        </header>
        <SpecEditor
          id="spec-editor"
          label={`App spec of ${app.name}`}
          value={value}
          // Unedited text follows the stored spec, also when it is saved elsewhere.
          onChange={(next) => setText(next === saved ? null : next)}
          problems={problems}
          testId="spec-editor"
        />
        <dl className="facts facts-plain source-facts">
          <div>
            <dt>Source folder</dt>
            <dd className="mono">{detail.sourcePath ?? 'none: every component has a git or image source'}</dd>
          </div>
        </dl>
        {error ? (
          <div className="callout callout-error" role="alert" data-testid="save-error">
            <p className="callout-title">The spec was not saved.</p>
            <p className="callout-body">{error.message}</p>
          </div>
        ) : null}
        <div className="button-row">
          <button type="button" className="button" disabled={!dirty || saving} onClick={() => setText(null)}>
            Revert
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!dirty || saving || hasErrors}
            onClick={() => void save()}
            data-testid="save-spec"
          >
            {saving ? 'Saving…' : 'Save spec'}
          </button>
        </div>
      </section>

      <section className="panel" aria-labelledby="env-title">
        <header className="panel-header">
          <h2 id="env-title">Environment variables</h2>
          {dirty ? <span className="muted">As in the editor, not saved yet</span> : null}
        </header>
        {result?.spec ? <EnvTable spec={result.spec} /> : <p className="muted">Shown once the spec is valid.</p>}
      </section>

      <BuildPlanPanel
        plan={buildPlan}
        headingLevel={2}
        className="panel"
        lead={
          dirty ? 'As in the editor, not saved yet.' : 'How each component is built and started at its next deployment.'
        }
        idleText="Shown once the spec is valid."
      />

      <section className="panel panel-danger" aria-labelledby="danger-title">
        <header className="panel-header">
          <div>
            <h2 id="danger-title">Delete app</h2>
            <p className="panel-sub muted">
              Stops and removes its containers, images and network, its deployment history and its logs.
            </p>
          </div>
          <button
            type="button"
            className="button button-danger"
            onClick={() => ui.getState().openDialog({ kind: 'delete', app: app.name })}
          >
            Delete app…
          </button>
        </header>
      </section>
    </div>
  );
}
