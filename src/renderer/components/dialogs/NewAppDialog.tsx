import { useMemo, useState, type ReactNode } from 'react';
import type { AppDetail } from '../../../shared/domains/apps';
import type { ServerSummary } from '../../../shared/domains/servers';
import type { SpecProblem } from '../../../shared/spec/app-spec';
import { useClient } from '../../client';
import { desktopBridge } from '../../lib/desktop';
import { describeError, type ShownError } from '../../lib/errors';
import { plural } from '../../lib/format';
import { gitAppSpec } from '../../lib/git-spec';
import { latestResult, useSpecValidation } from '../../lib/use-spec-validation';
import { askNotificationPermission } from '../../stores/notifications';
import { useServers, useStores } from '../../stores/context';
import { sortedServers } from '../../stores/servers-store';
import { Dialog } from '../Dialog';
import { locateProblems, SpecEditor } from '../SpecEditor';
import { sshAddress } from '../ServerCard';
import { Tabs } from '../Tabs';
import { CloseButton, ErrorCallout } from './common';
import { CheckOption } from '../CheckOption';

type Mode = 'folder' | 'git' | 'paste';
type BuildMode = 'server' | 'local';

const MODES: ReadonlyArray<{ id: Mode; title: string }> = [
  { id: 'folder', title: 'Folder on this machine' },
  { id: 'git', title: 'Git repository' },
  { id: 'paste', title: 'Paste a spec' },
];

const SERVER_STATE: Record<ServerSummary['status']['state'], string> = {
  online: 'online',
  offline: 'offline',
  untrusted: 'host key not trusted',
};

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

/** A path field; in the desktop app, with a button that opens the system's folder picker. */
function FolderField({
  label,
  value,
  onChange,
  placeholder,
  hint,
  testId,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder: string;
  hint: ReactNode;
  testId: string;
  autoFocus?: boolean;
}) {
  const desktop = desktopBridge();
  const { ui } = useStores();
  const choose = async () => {
    try {
      const folder = await desktop?.pickFolder({
        title: label,
        ...(value.trim() ? { defaultPath: value.trim() } : {}),
      });
      if (folder) onChange(folder);
    } catch (err) {
      // The path can still be typed; the user learns why the picker did not open.
      ui.getState().toast({ tone: 'danger', text: `The folder picker failed: ${describeError(err).message}` });
    }
  };
  return (
    <div className="field">
      <label htmlFor={`${testId}-input`}>{label}</label>
      <span className="input-with-button">
        <input
          id={`${testId}-input`}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          data-testid={testId}
          data-autofocus={autoFocus ? '' : undefined}
        />
        {desktop ? (
          <button type="button" className="button" onClick={() => void choose()} data-testid={`${testId}-choose`}>
            Choose folder…
          </button>
        ) : null}
      </span>
      <span className="field-hint">{hint}</span>
    </div>
  );
}

/** Where the app runs: this machine or a server, and for a server where it is built. */
function TargetFields({
  server,
  onServer,
  buildMode,
  onBuildMode,
}: {
  server: string;
  onServer(server: string): void;
  buildMode: BuildMode;
  onBuildMode(mode: BuildMode): void;
}) {
  const servers = useServers((s) => s.servers);
  const remote = useMemo(() => sortedServers(servers).filter((s) => s.kind === 'ssh'), [servers]);
  const chosen = servers[server];
  return (
    <div className={server === 'local' ? '' : 'field-row field-row-even'}>
      <label className="field">
        <span>Server</span>
        <select value={server} onChange={(event) => onServer(event.target.value)} data-testid="new-app-server">
          <option value="local">This machine (local Docker engine)</option>
          {remote.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}: {sshAddress(s)} ({SERVER_STATE[s.status.state]})
            </option>
          ))}
        </select>
        <span className="field-hint">
          {chosen && chosen.kind === 'ssh' && chosen.status.state !== 'online'
            ? `${chosen.name} is ${SERVER_STATE[chosen.status.state]} now: the app is created, its deployment waits for the server.`
            : remote.length === 0
              ? 'Servers added on the Servers page are offered here.'
              : 'Apps on a server answer on its loopback; Slipway tunnels their URL here.'}
        </span>
      </label>
      {server === 'local' ? null : (
        <label className="field">
          <span>Build</span>
          <select
            value={buildMode}
            onChange={(event) => onBuildMode(event.target.value as BuildMode)}
            data-testid="new-app-build-mode"
          >
            <option value="server">On the server</option>
            <option value="local">On this machine, then ship the image</option>
          </select>
          <span className="field-hint">Shipping needs no registry: the image goes over the SSH connection.</span>
        </label>
      )}
    </div>
  );
}

/**
 * Creates an app from a folder, a git repository or a pasted spec, on this
 * machine or a server, then deploys it. Paths are on the engine's machine; the
 * desktop app offers its native folder picker.
 */
export function NewAppDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const { apps, ui } = useStores();
  const [mode, setMode] = useState<Mode>('folder');
  const [specPath, setSpecPath] = useState('');
  const [specYaml, setSpecYaml] = useState('');
  const [sourcePath, setSourcePath] = useState('');
  const [gitUrl, setGitUrl] = useState('');
  const [gitBranch, setGitBranch] = useState('main');
  /** The git mode's spec once edited by hand; until then it follows the fields above it. */
  const [gitYamlEdited, setGitYamlEdited] = useState<string | null>(null);
  const [server, setServer] = useState('local');
  const [buildMode, setBuildMode] = useState<BuildMode>('server');
  const [deployAfter, setDeployAfter] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  /** Created from a file whose warnings could only be read once it was: shown before deploying. */
  const [created, setCreated] = useState<AppDetail | null>(null);

  const gitYaml =
    gitYamlEdited ??
    (gitUrl.trim() ? gitAppSpec({ url: gitUrl, branch: gitBranch, dockerfilePath: '', httpPort: 8080 }) : '');
  /** The spec text this mode creates from, when it is text. */
  const yaml = mode === 'paste' ? specYaml : mode === 'git' ? gitYaml : '';
  const validation = useSpecValidation(yaml);
  const result = latestResult(validation);
  const problems = useMemo(() => locateProblems(yaml, result?.errors ?? [], result?.warnings ?? []), [yaml, result]);
  const target = server === 'local' ? {} : { server, buildMode };

  const deploy = async (detail: AppDetail) => {
    const deployment = await client.apps.deploy({ app: detail.name });
    apps.getState().putDeployment(deployment);
    void askNotificationPermission();
    ui.getState().closeDialog();
    ui.getState().navigate({ page: 'app', app: detail.name, tab: 'logs', logType: 'build', deployment: deployment.id });
  };

  const create = async () => {
    setBusy(true);
    setError(null);
    let detail: AppDetail | null = null;
    try {
      detail =
        mode === 'folder'
          ? await client.apps.create({ specPath: specPath.trim(), ...target })
          : await client.apps.create({
              specYaml: yaml,
              ...(mode === 'paste' && sourcePath.trim() ? { sourcePath: sourcePath.trim() } : {}),
              ...target,
            });
      apps.getState().putDetail(detail);
      if (!deployAfter) {
        ui.getState().closeDialog();
        ui.getState().navigate({ page: 'app', app: detail.name, tab: 'overview' });
        return;
      }
      // A pasted spec's warnings were on screen already; a file's are seen only now, so they are shown first.
      if (mode === 'folder' && detail.warnings.length > 0) {
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

  const textInvalid = mode !== 'folder' && (!result || result.errors.length > 0);
  const pathInvalid = mode === 'folder' && !specPath.trim();
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
            disabled={busy || textInvalid || pathInvalid}
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
        {mode === 'folder' ? (
          <FolderField
            label="App folder or spec file"
            value={specPath}
            onChange={setSpecPath}
            placeholder="/home/me/projects/shop"
            testId="spec-path"
            autoFocus
            hint={
              <>
                A folder with <code>.do/app.yaml</code>, <code>app.yaml</code> or <code>.do/deploy.template.yaml</code>,
                or the spec file itself. Its folder (the repository root for <code>.do/</code>) is the source of
                components without git or image.
              </>
            }
          />
        ) : null}
        {mode === 'git' ? (
          <div className="field-row field-row-wide-first">
            <label className="field">
              <span>Repository URL</span>
              <input
                value={gitUrl}
                onChange={(event) => setGitUrl(event.target.value)}
                placeholder="https://github.com/acme/shop.git"
                spellCheck={false}
                autoComplete="off"
                data-testid="git-url"
                data-autofocus=""
              />
            </label>
            <label className="field">
              <span>Branch</span>
              <input
                value={gitBranch}
                onChange={(event) => setGitBranch(event.target.value)}
                spellCheck={false}
                autoComplete="off"
                data-testid="git-branch"
              />
            </label>
          </div>
        ) : null}
        {mode === 'git' && gitYamlEdited !== null ? (
          <p className="field-hint">
            The spec below was edited by hand, so it no longer follows the fields above.{' '}
            <button type="button" className="link-button" onClick={() => setGitYamlEdited(null)}>
              Follow them again
            </button>
          </p>
        ) : null}
        {mode !== 'folder' && (mode === 'paste' || gitYaml) ? (
          <div className="field">
            <span className="field-label-row">
              <label htmlFor="new-spec">App spec (YAML)</label>
              {mode === 'paste' && !specYaml ? (
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
              value={yaml}
              onChange={mode === 'paste' ? setSpecYaml : setGitYamlEdited}
              problems={problems}
              rows={12}
              testId="spec-yaml"
            />
            {mode === 'git' ? (
              <span className="field-hint">
                Slipway clones the repository and builds its Dockerfile; edit the spec to add components, envs or a
                health check.
              </span>
            ) : null}
          </div>
        ) : null}
        {mode === 'paste' ? (
          <FolderField
            label="Source folder"
            value={sourcePath}
            onChange={setSourcePath}
            placeholder="/home/me/projects/shop"
            testId="source-path"
            hint="Where the Dockerfile and code of components without git or image are. Not needed when every component has one."
          />
        ) : null}
        <TargetFields server={server} onServer={setServer} buildMode={buildMode} onBuildMode={setBuildMode} />
        <CheckOption checked={deployAfter} onChange={setDeployAfter} title="Deploy right away">
          Build and start it as soon as it is created, and show the build log.
        </CheckOption>
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
