import { useEffect, useState } from 'react';
import type { AppSummary, RollbackPreview } from '../../../shared/domains/apps';
import type { Deployment } from '../../../shared/deployment';
import { useClient } from '../../client';
import { describeError, type ShownError } from '../../lib/errors';
import { formatTime, displayId, recentSuccessful, shortRevision, timeAgo } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useStorage } from '../../lib/use-storage';
import { Dialog } from '../Dialog';
import { CloseButton, ErrorCallout, useAction, useDeploymentQueued } from './common';
import { DiffView } from './DiffView';
import { PinnedRollback } from '../PinnedRollback';
import { CheckOption } from '../CheckOption';
import { displayTitle } from '../../../shared/deployment-title';
import { sourceSummary } from '../../../shared/deployment-source-text';

const shortImage = (id: string | null) => (id ? id.replace(/^sha256:/, '').slice(0, 12) : 'none');

function KeyList({ label, keys, tone }: { label: string; keys: string[]; tone: string }) {
  if (keys.length === 0) return null;
  return (
    <li>
      <span className={`key-tag key-${tone}`}>{label}</span>{' '}
      {keys.map((k) => (
        <code key={k} className="key-name">
          {k.replace('/', ' · ')}
        </code>
      ))}
    </li>
  );
}

function Summary({ preview }: { preview: RollbackPreview }) {
  const { sourceRevision, images, envKeys } = preview.summary;
  const envChanges = envKeys.added.length + envKeys.removed.length + envKeys.changed.length;
  return (
    <dl className="facts facts-plain rollback-summary" data-testid="rollback-summary">
      <div>
        <dt>Source revision</dt>
        <dd className="mono">
          {sourceRevision.current === sourceRevision.target
            ? `${shortRevision(sourceRevision.target)} (unchanged)`
            : `${shortRevision(sourceRevision.current)} → ${shortRevision(sourceRevision.target)}`}
        </dd>
      </div>
      <div>
        <dt>Images</dt>
        <dd>
          <ul className="plain-list">
            {images.map((image) => (
              <li key={image.component}>
                <strong>{image.component}</strong>{' '}
                <span className="mono">
                  {image.current === image.target
                    ? `${shortImage(image.target)} (unchanged)`
                    : `${shortImage(image.current)} → ${shortImage(image.target)}`}
                </span>
              </li>
            ))}
          </ul>
        </dd>
      </div>
      <div className="wide">
        <dt>Environment variables</dt>
        <dd>
          {envChanges === 0 ? (
            'No change'
          ) : (
            <ul className="plain-list">
              <KeyList label="added" keys={envKeys.added} tone="add" />
              <KeyList label="removed" keys={envKeys.removed} tone="del" />
              <KeyList label="changed" keys={envKeys.changed} tone="change" />
            </ul>
          )}
          <p className="muted small">Only names are shown; values never leave the engine.</p>
        </dd>
      </div>
    </dl>
  );
}

export function RollbackDialog({ app, initial, onClose }: { app: AppSummary; initial?: string; onClose(): void }) {
  const client = useClient();
  const now = useNow();
  const [targets, setTargets] = useState<Deployment[] | null>(null);
  const [selected, setSelected] = useState<string | undefined>(initial);
  const [preview, setPreview] = useState<RollbackPreview | null>(null);
  const [loadError, setLoadError] = useState<ShownError | null>(null);
  const [pinAfter, setPinAfter] = useState(true);
  const { busy, error, run } = useAction();
  const queued = useDeploymentQueued();
  const storage = useStorage();
  const retained = storage.data?.retainedDeployments ?? null;
  // The count only words the list, so if the engine cannot say it the list is shown without it.
  const counted = retained !== null || storage.error !== null;

  useEffect(() => {
    let current = true;
    client.apps.rollbackTargets({ app: app.name }).then(
      (list) => {
        if (!current) return;
        setTargets(list);
        setSelected((s) => (s && list.some((d) => d.id === s) ? s : list[0]?.id));
      },
      (err: unknown) => current && setLoadError(describeError(err)),
    );
    return () => {
      current = false;
    };
  }, [client, app.name]);

  useEffect(() => {
    if (!selected) return;
    let current = true;
    setPreview(null);
    client.apps.rollbackPreview({ app: app.name, deployment: selected }).then(
      (p) => current && setPreview(p),
      (err: unknown) => current && setLoadError(describeError(err)),
    );
    return () => {
      current = false;
    };
  }, [client, app.name, selected]);

  const confirm = async () => {
    if (!selected) return;
    const deployment = await run(() =>
      client.apps.rollback({ app: app.name, deployment: selected, skipPin: !pinAfter }),
    );
    if (deployment) queued(deployment, { page: 'app', app: app.name, tab: 'activity', deployment: deployment.id });
  };

  return (
    <Dialog
      title={`Roll back ${app.name}`}
      lead={
        <>
          Deploys the images and the spec of an earlier successful deployment again, without building. It runs as a new
          deployment; the live one
          {app.liveDeployment ? (
            <>
              {' '}
              (<span className="mono">{displayId(app.liveDeployment.id)}</span>)
            </>
          ) : null}{' '}
          keeps serving until the rollback is healthy.
        </>
      }
      size="wide"
      onClose={onClose}
      testId="rollback-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} />
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !selected || !preview}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy ? 'Queuing…' : selected ? `Roll back to ${displayId(selected)}` : 'Roll back'}
          </button>
        </>
      }
    >
      <PinnedRollback app={app} />
      <ErrorCallout error={loadError} />
      {targets === null || !counted ? (
        <p className="muted">Finding the deployments you can roll back to…</p>
      ) : targets.length === 0 ? (
        <p className="note" data-testid="no-targets">
          There is no earlier successful deployment to roll back to. The {recentSuccessful(retained)} deployments keep
          their images for this.
        </p>
      ) : (
        <fieldset className="fieldset">
          <legend>Roll back to (the {recentSuccessful(retained)} deployments)</legend>
          <div className="target-list" data-testid="rollback-targets">
            {targets.map((d) => (
              <label key={d.id} className={`target ${d.id === selected ? 'target-selected' : ''}`}>
                <input
                  type="radio"
                  name="rollback-target"
                  value={d.id}
                  checked={d.id === selected}
                  onChange={() => setSelected(d.id)}
                />
                <span className="mono">{displayId(d.id)}</span>
                <span className="target-title">
                  <span className="activity-title">{displayTitle(d)}</span>
                  {d.source ? (
                    <span className="activity-meta" data-testid="target-source">
                      {sourceSummary(d.source)}
                    </span>
                  ) : null}
                </span>
                <span className="muted" title={formatTime(d.createdAt)}>
                  {timeAgo(d.createdAt, now)}
                </span>
                <span className="mono muted">{shortRevision(d.sourceRevision)}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {selected && targets?.length ? (
        preview ? (
          <>
            <h3 className="dialog-section">What changes</h3>
            <Summary preview={preview} />
            <h3 className="dialog-section">Spec diff</h3>
            <DiffView diff={preview.diff} />
          </>
        ) : (
          <p className="muted">Comparing with the live deployment…</p>
        )
      ) : null}
      {targets?.length ? (
        <CheckOption
          checked={pinAfter}
          onChange={setPinAfter}
          title="Pin the app to this rollback"
          testId="rollback-pin-option"
        >
          As on DigitalOcean: once the rollback is live, Deploy and Redeploy are refused until you commit it (keep this
          version) or revert it (go back to what is live now), so the next deploy cannot silently undo it.
        </CheckOption>
      ) : null}
      <ErrorCallout error={error} />
    </Dialog>
  );
}
