import { useMemo, useState } from 'react';
import type { AppDetail } from '../../../shared/domains/apps';
import type { SpecProblem } from '../../../shared/spec/app-spec';
import { useClient } from '../../client';
import { describeError, type ShownError } from '../../lib/errors';
import { plural } from '../../lib/format';
import { latestResult, useSpecValidation } from '../../lib/use-spec-validation';
import { askNotificationPermission } from '../../stores/notifications';
import { useStores } from '../../stores/context';
import { Dialog } from '../Dialog';
import { locateProblems, SpecEditor } from '../SpecEditor';
import { Tabs } from '../Tabs';
import { CloseButton, ErrorCallout } from './common';

type Mode = 'path' | 'paste';

const MODES: ReadonlyArray<{ id: Mode; title: string }> = [
  { id: 'path', title: 'Spec file on this machine' },
  { id: 'paste', title: 'Paste a spec' },
];

const SAMPLE = `name: my-app
services:
  - name: web
    dockerfile_path: Dockerfile
    http_port: 8080
`;

function ProblemSummary({ warnings }: { warnings: SpecProblem[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="callout callout-warning" data-testid="spec-warnings">
      <p className="callout-title">
        {plural(warnings.length, 'warning')}: {warnings.length === 1 ? 'this field is' : 'these fields are'} not
        honoured by Slipway
      </p>
      <ul className="issue-list">
        {warnings.map((w, i) => (
          <li key={i}>
            <code>{w.path || '(spec)'}</code> {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Creates an app from a spec, then deploys it. The desktop app will add a
 * native folder picker; here the spec's path is typed (in the browser host
 * it is a path on the engine's machine).
 */
export function NewAppDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const { apps, ui } = useStores();
  const [mode, setMode] = useState<Mode>('path');
  const [specPath, setSpecPath] = useState('');
  const [specYaml, setSpecYaml] = useState('');
  const [sourcePath, setSourcePath] = useState('');
  const [deployAfter, setDeployAfter] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  /** Created from a file whose warnings could only be read once it was: shown before deploying. */
  const [created, setCreated] = useState<AppDetail | null>(null);

  const validation = useSpecValidation(mode === 'paste' ? specYaml : '');
  const result = latestResult(validation);
  const problems = useMemo(
    () => locateProblems(specYaml, result?.errors ?? [], result?.warnings ?? []),
    [specYaml, result],
  );

  const deploy = async (detail: AppDetail) => {
    const deployment = await client.apps.deploy({ app: detail.name });
    apps.getState().putDeployment(deployment);
    askNotificationPermission();
    ui.getState().closeDialog();
    ui.getState().navigate({ page: 'app', app: detail.name, tab: 'logs', logType: 'build', deployment: deployment.id });
  };

  const create = async () => {
    setBusy(true);
    setError(null);
    let detail: AppDetail | null = null;
    try {
      detail =
        mode === 'path'
          ? await client.apps.create({ specPath: specPath.trim() })
          : await client.apps.create({ specYaml, sourcePath: sourcePath.trim() });
      apps.getState().putDetail(detail);
      if (!deployAfter) {
        ui.getState().closeDialog();
        ui.getState().navigate({ page: 'app', app: detail.name, tab: 'overview' });
        return;
      }
      // A pasted spec's warnings were on screen already; a file's are seen only now, so they are shown first.
      if (mode === 'path' && detail.warnings.length > 0) {
        setCreated(detail);
        return;
      }
      await deploy(detail);
    } catch (err) {
      setError(describeError(err));
      // Created but not deployed: what is left to do is deploying, not creating again.
      if (detail) setCreated(detail);
    } finally {
      setBusy(false);
    }
  };

  const deployCreated = async () => {
    if (!created) return;
    setBusy(true);
    setError(null);
    try {
      await deploy(created);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Dialog
        title={`${created.name} is created`}
        lead={
          created.warnings.length
            ? 'The spec has fields Slipway cannot honour. Deploy anyway, or fix the spec first (App settings).'
            : 'The app is created, but its first deployment did not start.'
        }
        size="wide"
        onClose={onClose}
        testId="new-app-dialog"
        footer={
          <>
            <CloseButton
              label="Not now"
              onClick={() => {
                ui.getState().closeDialog();
                ui.getState().navigate({ page: 'app', app: created.name, tab: 'settings' });
              }}
            />
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => void deployCreated()}
              data-testid="confirm"
            >
              {busy ? 'Starting…' : created.warnings.length ? 'Deploy anyway' : 'Deploy'}
            </button>
          </>
        }
      >
        <ProblemSummary warnings={created.warnings} />
        <ErrorCallout error={error} />
      </Dialog>
    );
  }

  const pasteInvalid = mode === 'paste' && (!result || result.errors.length > 0 || !sourcePath.trim());
  const pathInvalid = mode === 'path' && !specPath.trim();
  const specErrors = error?.problems?.errors ?? [];

  return (
    <Dialog
      title="New app"
      lead="An app is a DigitalOcean App Platform spec plus the source it names: a folder with a Dockerfile, a git repository, or an image."
      size="wide"
      onClose={onClose}
      testId="new-app-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} />
          <button
            type="button"
            className="button button-primary"
            disabled={busy || pasteInvalid || pathInvalid}
            onClick={() => void create()}
            data-testid="confirm"
          >
            {busy ? 'Creating…' : deployAfter ? 'Create and deploy' : 'Create app'}
          </button>
        </>
      }
    >
      <Tabs<Mode>
        label="Where the spec comes from"
        tabs={MODES}
        selected={mode}
        onSelect={setMode}
        idPrefix="newapp"
        variant="segmented"
      />
      <div role="tabpanel" id="newapp-panel" aria-labelledby={`newapp-tab-${mode}`} className="newapp-panel">
        {mode === 'path' ? (
          <label className="field">
            <span>Path of the app spec</span>
            <input
              value={specPath}
              onChange={(event) => setSpecPath(event.target.value)}
              placeholder="/home/me/projects/shop/.do/app.yaml"
              spellCheck={false}
              autoComplete="off"
              data-testid="spec-path"
              data-autofocus=""
            />
            <span className="field-hint">
              An <code>app.yaml</code>, <code>.do/app.yaml</code> or <code>.do/deploy.template.yaml</code>. Its folder
              (the repository root for <code>.do/</code>) is the source of components without git or image.
            </span>
          </label>
        ) : (
          <>
            <div className="field">
              <span className="field-label-row">
                <label htmlFor="new-spec">App spec (YAML)</label>
                {!specYaml ? (
                  <button type="button" className="link-button" onClick={() => setSpecYaml(SAMPLE)}>
                    Start from an example
                  </button>
                ) : (
                  <span className="validation-state" role="status" data-testid="validation-state">
                    {validation.state === 'checking'
                      ? 'Checking…'
                      : result
                        ? result.errors.length
                          ? plural(result.errors.length, 'error')
                          : `Valid${result.warnings.length ? ` · ${plural(result.warnings.length, 'warning')}` : ''}`
                        : ''}
                  </span>
                )}
              </span>
              <SpecEditor
                id="new-spec"
                label="App spec"
                value={specYaml}
                onChange={setSpecYaml}
                problems={problems}
                rows={12}
                testId="spec-yaml"
              />
            </div>
            <label className="field">
              <span>Source folder</span>
              <input
                value={sourcePath}
                onChange={(event) => setSourcePath(event.target.value)}
                placeholder="/home/me/projects/shop"
                spellCheck={false}
                autoComplete="off"
                data-testid="source-path"
              />
              <span className="field-hint">
                Where the Dockerfile and the code of components without git or image are.
              </span>
            </label>
          </>
        )}
        <label className="field">
          <span>Server</span>
          <select value="local" disabled aria-describedby="server-hint">
            <option value="local">This machine (local Docker engine)</option>
          </select>
          <span className="field-hint" id="server-hint">
            Apps deploy to this machine&apos;s engine for now.
          </span>
        </label>
        <label className="check">
          <input type="checkbox" checked={deployAfter} onChange={(event) => setDeployAfter(event.target.checked)} />
          <span>
            <strong>Deploy right away</strong>
            <span className="muted">Build and start it as soon as it is created, and show the build log.</span>
          </span>
        </label>
      </div>
      {specErrors.length ? (
        <div className="callout callout-error" role="alert" data-testid="dialog-error">
          <p className="callout-title">The spec has {plural(specErrors.length, 'error')}:</p>
          <ul className="issue-list">
            {specErrors.map((p, i) => (
              <li key={i}>
                <code>{p.path || '(spec)'}</code> {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <ErrorCallout error={error} />
      )}
    </Dialog>
  );
}
