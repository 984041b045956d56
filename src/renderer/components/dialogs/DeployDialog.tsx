import { useState } from 'react';
import type { AppSummary } from '../../../shared/domains/apps';
import type { ComponentSpec } from '../../../shared/spec/app-spec';
import { useClient } from '../../client';
import { plural, displayId } from '../../lib/format';
import { latestResult, useSpecValidation } from '../../lib/use-spec-validation';
import { queueOf, useDeployments } from '../../pages/app/use-deployments';
import { useApps } from '../../stores/context';
import { Dialog } from '../Dialog';
import { CloseButton, ErrorCallout, useAction, useDeploymentQueued } from './common';
import { CheckOption } from '../CheckOption';
import { SpecFileNote } from '../SpecFileNote';
import { PinnedRollback } from '../PinnedRollback';
import { DEFAULT_TITLES, DESCRIPTION_MAX, TITLE_MAX } from '../../../shared/deployment-title';

/** The title and note a deployment is recorded with; the engine checks their bounds and names the field it refuses. */
function DeploymentNotes(props: {
  rebuild: boolean;
  title: string;
  description: string;
  onTitle(value: string): void;
  onDescription(value: string): void;
}) {
  const count = (text: string) => [...text].length;
  return (
    <div className="deploy-notes">
      <label className="field">
        <span>Title</span>
        <input
          value={props.title}
          onChange={(event) => props.onTitle(event.target.value)}
          placeholder={props.rebuild ? DEFAULT_TITLES.rebuild : DEFAULT_TITLES.deploy}
          autoComplete="off"
          data-testid="deploy-title"
        />
        <span className="field-hint">
          Optional; shown in Activity and as the first line of the deploy log. {count(props.title)}/{TITLE_MAX}
        </span>
      </label>
      <label className="field">
        <span>Description</span>
        <textarea
          value={props.description}
          onChange={(event) => props.onDescription(event.target.value)}
          rows={3}
          placeholder="What changed, and why (optional)"
          data-testid="deploy-description"
        />
        <span className="field-hint">
          {count(props.description)}/{DESCRIPTION_MAX}
        </span>
      </label>
    </div>
  );
}

function joinPath(root: string, dir: string): string {
  return dir ? `${root.replace(/\/$/, '')}/${dir}` : root;
}

/** What the build does for one component, in the engine's own terms. */
function buildStep(component: ComponentSpec, sourcePath: string, rebuild: boolean): string {
  const source = component.source;
  if (source.type === 'image') {
    return `uses the image ${source.registry ? `${source.registry}/` : ''}${source.repository}:${source.tag}, pulled if this engine lacks it; nothing is built.`;
  }
  if (source.type === 'git') {
    return `fetches ${source.url}${source.branch ? ` (${source.branch})` : ''} and builds ${component.dockerfilePath}${
      rebuild ? '' : '; if the commit and build settings match the live deployment, its image is reused instead'
    }.`;
  }
  return `builds ${component.dockerfilePath} from ${joinPath(sourcePath, component.sourceDir)}.`;
}

export function DeployDialog({ app, rebuild, onClose }: { app: AppSummary; rebuild: boolean; onClose(): void }) {
  const client = useClient();
  const detail = useApps((s) => s.details[app.name]);
  const validation = useSpecValidation(detail?.specYaml ?? '', 0);
  const spec = latestResult(validation)?.spec ?? null;
  const deployments = useDeployments(app.name);
  const { running, waiting } = queueOf(deployments);
  const [clearCache, setClearCache] = useState(false);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useAction();
  const queued = useDeploymentQueued();
  const live = app.liveDeployment;

  const confirm = async () => {
    const deployment = await run(() =>
      client.apps.deploy({
        app: app.name,
        source: 'latest',
        forceRebuild: rebuild,
        clearCache: rebuild && clearCache,
        // Left empty, the engine gives the default title; an empty note is no note.
        ...(title.trim() ? { title } : {}),
        ...(description.trim() ? { description } : {}),
      }),
    );
    if (deployment) queued(deployment, { page: 'app', app: app.name, tab: 'logs', logType: 'build' });
  };

  const running_ = spec?.components.filter((c) => c.kind !== 'job') ?? [];
  return (
    <Dialog
      title={rebuild ? `Force rebuild and deploy ${app.name}` : `Deploy ${app.name}`}
      lead={
        rebuild
          ? 'Builds every component again from its latest source, never reusing an image, then replaces the live version once the new one is healthy.'
          : 'Builds the latest source and replaces the live version once the new one is healthy.'
      }
      onClose={onClose}
      testId={rebuild ? 'rebuild-dialog' : 'deploy-dialog'}
      footer={
        <>
          <CloseButton onClick={onClose} />
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy
              ? 'Queuing…'
              : rebuild
                ? clearCache
                  ? 'Rebuild without cache and deploy'
                  : 'Rebuild and deploy'
                : 'Deploy'}
          </button>
        </>
      }
    >
      <PinnedRollback app={app} />
      <SpecFileNote app={app} />
      <h3 className="dialog-section">What happens</h3>
      <ol className="plan-list">
        {spec ? (
          spec.components.map((c) => (
            <li key={c.name}>
              <strong>{c.name}</strong>: {buildStep(c, detail?.sourcePath ?? '', rebuild)}
            </li>
          ))
        ) : (
          <li>Each component is built from its source as the spec says.</li>
        )}
        {rebuild && clearCache ? (
          <li>Every Dockerfile step runs again: Docker&apos;s layer cache is not used.</li>
        ) : null}
        <li>
          {running_.length
            ? running_.map((c) => `${plural(c.instanceCount, 'instance')} of ${c.name}`).join(', ')
            : 'Its services and workers'}{' '}
          start and must pass their health checks.
        </li>
        <li>
          {live ? (
            <>
              Traffic moves to the new version only then. Until that moment the live deployment{' '}
              <span className="mono">{displayId(live.id)}</span> keeps serving, and it stays live if anything fails.
            </>
          ) : (
            'The app goes live at its URL once healthy.'
          )}
        </li>
      </ol>
      {running ? (
        <p className="note">
          Deployment <span className="mono">{displayId(running.id)}</span> is in flight
          {waiting.length ? ` and ${plural(waiting.length, 'more waits', 'more wait')}` : ''}: this one waits in the
          queue until {waiting.length ? 'they are' : 'it is'} done.
        </p>
      ) : null}
      <DeploymentNotes
        rebuild={rebuild}
        title={title}
        description={description}
        onTitle={setTitle}
        onDescription={setDescription}
      />
      {rebuild ? (
        <CheckOption checked={clearCache} onChange={setClearCache} title="Clear build cache" testId="clear-cache">
          Build every layer again without Docker&apos;s cache, e.g. to pick up a base image or package that changed
          upstream. Slower.
        </CheckOption>
      ) : null}
      <ErrorCallout error={error} />
    </Dialog>
  );
}
