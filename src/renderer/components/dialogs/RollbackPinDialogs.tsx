import type { AppSummary } from '../../../shared/domains/apps';
import { useClient } from '../../client';
import { displayId } from '../../lib/format';
import { useApps, useStores } from '../../stores/context';
import { Dialog } from '../Dialog';
import { CloseButton, ErrorCallout, useAction, useDeploymentQueued } from './common';

/** Keeps the rolled-back version the app is pinned to, and allows deploys again. */
export function CommitRollbackDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const client = useClient();
  const { ui, apps } = useStores();
  const detail = useApps((s) => s.details[app.name]);
  const { busy, error, run } = useAction();
  const pin = app.pinned;

  const confirm = async () => {
    const committed = await run(() => client.apps.commitRollback({ app: app.name }));
    if (!committed) return;
    apps.getState().putDetail(committed);
    ui.getState().closeDialog();
    ui.getState().toast({ tone: 'ok', text: `${app.name}: rollback committed; deploys are allowed again.` });
  };

  return (
    <Dialog
      title={`Commit the rollback of ${app.name}`}
      lead="Keeps the version the app was rolled back to and unpins it. Nothing is deployed now."
      onClose={onClose}
      testId="commit-rollback-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} autoFocus />
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !pin}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy ? 'Committing…' : 'Commit rollback'}
          </button>
        </>
      }
    >
      {pin ? (
        <ol className="plan-list">
          <li>
            Rollback <span className="mono">{displayId(pin.deployment)}</span> (the images and spec of{' '}
            <span className="mono">{displayId(pin.target)}</span>) stays live.
          </li>
          <li>
            {detail?.specFile
              ? `The app's spec still follows ${detail.specFile.path}: the next deploy reads it again, and its log shows the diff against the rolled-back version.`
              : "The rolled-back spec becomes the app's spec: the next deploy starts from it."}
          </li>
          <li>Deploy and Redeploy are allowed again.</li>
        </ol>
      ) : (
        <p className="note">{app.name} is not pinned to a rollback.</p>
      )}
      <ErrorCallout error={error} />
    </Dialog>
  );
}

/** Deploys again what was live before the pinned rollback (its images, no build), which unpins the app. */
export function RevertRollbackDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const client = useClient();
  const { busy, error, run } = useAction();
  const queued = useDeploymentQueued();
  const pin = app.pinned;

  const confirm = async () => {
    const deployment = await run(() => client.apps.revertRollback({ app: app.name }));
    if (deployment) queued(deployment, { page: 'app', app: app.name, tab: 'activity', deployment: deployment.id });
  };

  return (
    <Dialog
      title={`Revert the rollback of ${app.name}`}
      lead="Goes back to what was live before the rollback, without building, and unpins the app once it is live."
      onClose={onClose}
      testId="revert-rollback-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} autoFocus />
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !pin?.previous}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy ? 'Queuing…' : pin?.previous ? `Revert to ${displayId(pin.previous)}` : 'Revert'}
          </button>
        </>
      }
    >
      {pin?.previous ? (
        <ol className="plan-list">
          <li>
            A new deployment takes the images and spec of <span className="mono">{displayId(pin.previous)}</span>, the
            version live before rollback <span className="mono">{displayId(pin.deployment)}</span>; nothing is built.
          </li>
          <li>
            It starts, must pass its health checks, and only then takes the traffic; until then the rollback serves.
          </li>
          <li>Once it is live the app is no longer pinned, and deploys are allowed again.</li>
        </ol>
      ) : (
        <p className="note">There is nothing to revert to.</p>
      )}
      <ErrorCallout error={error} />
    </Dialog>
  );
}
