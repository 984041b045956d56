import { useMemo, useState } from 'react';
import { gitAppSpec } from '../../lib/git-spec';
import { useBuildPlan } from '../../lib/use-build-plan';
import { latestResult, useSpecValidation } from '../../lib/use-spec-validation';
import { BuildPlanPanel } from '../build-plan/BuildPlanPanel';
import { CheckOption } from '../CheckOption';
import { Dialog } from '../Dialog';
import { locateProblems } from '../SpecEditor';
import { Tabs } from '../Tabs';
import { CloseButton, ErrorCallout } from './common';
import { AppCreatedDialog } from './new-app/AppCreatedDialog';
import { FolderField } from './new-app/FolderField';
import { GitSourceFields } from './new-app/GitSourceFields';
import { SpecYamlField } from './new-app/SpecYamlField';
import { TargetFields, type BuildMode } from './new-app/TargetFields';
import { useCreateApp, type CreateRequest } from './new-app/use-create-app';
import { SpecProblems } from './SpecProblems';

type Mode = 'folder' | 'git' | 'paste';

const MODES: ReadonlyArray<{ id: Mode; title: string }> = [
  { id: 'folder', title: 'Folder on this machine' },
  { id: 'git', title: 'Git repository' },
  { id: 'paste', title: 'Paste a spec' },
];

/**
 * Creates an app from a folder, a git repository or a pasted spec, on this
 * machine or a server, then deploys it. Paths are on the engine's machine; the
 * desktop app offers its native folder picker.
 */
export function NewAppDialog({ onClose }: { onClose(): void }) {
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
  const { busy, error, created, create, deployCreated } = useCreateApp();

  const gitYaml =
    gitYamlEdited ??
    (gitUrl.trim() ? gitAppSpec({ url: gitUrl, branch: gitBranch, dockerfilePath: '', httpPort: 8080 }) : '');
  /** The spec text this mode creates from, when it is text. */
  const yaml = mode === 'paste' ? specYaml : mode === 'git' ? gitYaml : '';
  const validation = useSpecValidation(yaml);
  const result = latestResult(validation);
  const problems = useMemo(() => locateProblems(yaml, result?.errors ?? [], result?.warnings ?? []), [yaml, result]);
  const buildPlan = useBuildPlan(mode === 'folder' && specPath.trim() ? { specPath: specPath.trim() } : null);

  if (created) {
    return (
      <AppCreatedDialog
        app={created}
        busy={busy}
        error={error}
        onDeploy={() => void deployCreated()}
        onClose={onClose}
      />
    );
  }

  const target = server === 'local' ? {} : { server, buildMode };
  const request: CreateRequest =
    mode === 'folder'
      ? { specPath: specPath.trim(), ...target }
      : {
          specYaml: yaml,
          ...(mode === 'paste' && sourcePath.trim() ? { sourcePath: sourcePath.trim() } : {}),
          ...target,
        };
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
            // A text spec's warnings were on screen already; a file's are seen only once it is created.
            onClick={() => void create(request, { deployAfter, warningsShown: mode !== 'folder' })}
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
        {mode === 'folder' ? (
          <BuildPlanPanel
            plan={buildPlan}
            idleText="Once the folder is chosen, how each component will be built and started shows here."
          />
        ) : null}
        {mode === 'git' ? (
          <GitSourceFields
            url={gitUrl}
            onUrl={setGitUrl}
            branch={gitBranch}
            onBranch={setGitBranch}
            specEdited={gitYamlEdited !== null}
            onFollowFields={() => setGitYamlEdited(null)}
          />
        ) : null}
        {mode !== 'folder' && (mode === 'paste' || gitYaml) ? (
          <SpecYamlField
            value={yaml}
            onChange={mode === 'paste' ? setSpecYaml : setGitYamlEdited}
            validation={validation}
            problems={problems}
            offerExample={mode === 'paste'}
            hint={
              mode === 'git'
                ? 'Slipway clones the repository and builds its Dockerfile; edit the spec to add components, envs or a health check.'
                : undefined
            }
          />
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
      {specErrors.length ? <SpecProblems severity="error" problems={specErrors} /> : <ErrorCallout error={error} />}
    </Dialog>
  );
}
