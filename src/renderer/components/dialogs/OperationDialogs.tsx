import type { AppSummary } from '../../../shared/domains/apps';
import type { Deployment } from '../../../shared/deployment';
import { useClient } from '../../client';
import { PHASE_LABEL, plural, displayId, recentSuccessful, timeAgo } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useRequest } from '../../lib/use-request';
import { useStorage } from '../../lib/use-storage';
import { queueOf, useDeployments } from '../../pages/app/use-deployments';
import { isFinished } from '../../stores/apps-store';
import { useApps, useStores } from '../../stores/context';
import { PhaseBadge } from '../Badges';
import { Dialog } from '../Dialog';
import { Icon } from '../Icons';
import { CloseButton, ErrorCallout, useAction } from './common';

/** What is running now, as the store knows it. */
function useRunning(app: string): Deployment | null {
  return queueOf(useDeployments(app)).running;
}

function DeploymentLine({ deployment }: { deployment: Deployment }) {
  const now = useNow();
  return (
    <p className="deployment-line">
      <PhaseBadge phase={deployment.phase} /> <span className="mono">{displayId(deployment.id)}</span> ·{' '}
      {deployment.cause} · started {timeAgo(deployment.createdAt, now)}
    </p>
  );
}

export function CancelDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const client = useClient();
  const { ui, apps } = useStores();
  const running = useRunning(app.name);
  const { busy, error, run } = useAction();
  const live = app.liveDeployment;

  const confirm = async () => {
    const ended = await run(() => client.apps.cancel({ app: app.name, by: 'desktop' }));
    if (!ended) return;
    apps.getState().putDeployment(ended);
    ui.getState().closeDialog();
    ui.getState().toast({
      tone: 'info',
      text: `${app.name}: deployment ${displayId(ended.id)} ${PHASE_LABEL[ended.phase].toLowerCase()}.`,
    });
  };

  return (
    <Dialog
      title={`Cancel the deployment of ${app.name}`}
      lead="Stops the deployment in flight cleanly. The version that is live now is never touched."
      onClose={onClose}
      testId="cancel-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} label="Keep it going" autoFocus />
          <button
            type="button"
            className="button button-danger"
            disabled={busy || !running}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy ? 'Canceling…' : 'Cancel deployment'}
          </button>
        </>
      }
    >
      {running ? <DeploymentLine deployment={running} /> : <p className="note">No deployment is in flight.</p>}
      <h3 className="dialog-section">What happens</h3>
      <ol className="plan-list">
        <li>
          A running build is aborted; the layers it made and its running step are removed (Docker&apos;s cache from
          finished builds stays).
        </li>
        <li>Containers this deployment started are removed; its image tags go.</li>
        <li>
          {live ? (
            <>
              <span className="mono">{displayId(live.id)}</span> stays live and keeps serving.
            </>
          ) : (
            'Nothing was live, so nothing serves afterwards.'
          )}
        </li>
        <li>
          The deployment ends CANCELED, recorded as canceled from the desktop app. Waiting deployments then run in turn.
        </li>
      </ol>
      <ErrorCallout error={error} />
    </Dialog>
  );
}

export function KillBuildDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const client = useClient();
  const { ui, apps } = useStores();
  const running = useRunning(app.name);
  const building = running && (running.phase === 'BUILDING' || running.phase === 'PENDING_BUILD') ? running : null;
  const { busy, error, run } = useAction();

  const confirm = async () => {
    const ended = await run(() => client.apps.killBuild({ app: app.name, by: 'desktop' }));
    if (!ended) return;
    apps.getState().putDeployment(ended);
    ui.getState().closeDialog();
    ui.getState().toast({ tone: 'info', text: `${app.name}: build of ${displayId(ended.id)} killed.` });
  };

  return (
    <Dialog
      title={`Kill the build of ${app.name}`}
      tone="danger"
      lead="Stops the running build step at once, without waiting for it to finish."
      onClose={onClose}
      testId="kill-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} label="Keep building" autoFocus />
          <button
            type="button"
            className="button button-danger"
            disabled={busy || !building}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy ? 'Killing…' : 'Kill build'}
          </button>
        </>
      }
    >
      {building ? <DeploymentLine deployment={building} /> : <p className="note">No build is running.</p>}
      <div className="callout callout-warning" role="note">
        <p className="callout-title">
          <Icon name="warning" /> Use this when a build hangs or runs away.
        </p>
        <p className="callout-body">
          Whatever the step was doing is cut off mid-way. The deployment ends in ERROR (build killed), not CANCELED, so
          it shows as failed in Activity. Only this app&apos;s build is touched; the live version keeps serving. To stop
          a deployment that is not building, cancel it instead.
        </p>
      </div>
      <ErrorCallout error={error} />
    </Dialog>
  );
}

export function QueueDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const client = useClient();
  const { ui, apps } = useStores();
  const byId = useApps((s) => s.deployments[app.name]);
  const { busy, error, run } = useAction();
  // Asked again whenever one of the app's deployments changes: the events say when, so nothing polls.
  const { data: queue, error: loadError } = useRequest(
    () => client.apps.queue({ app: app.name }),
    [client, app.name, byId],
  );

  const clean = async () => {
    const result = await run(() => client.apps.cleanQueue({ app: app.name, by: 'desktop' }));
    if (!result) return;
    ui.getState().toast({
      tone: 'info',
      text: result.dropped.length
        ? `${app.name}: ${plural(result.dropped.length, 'waiting deployment')} dropped.`
        : `${app.name}: nothing was waiting.`,
    });
    void apps.getState().loadHistory(app.name);
  };

  const waiting = queue?.waiting ?? [];
  return (
    <Dialog
      title={`Deployment queue of ${app.name}`}
      lead="One deployment runs at a time; the others wait here and run in this order."
      onClose={onClose}
      testId="queue-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} label="Close" />
          <button
            type="button"
            className="button button-danger"
            disabled={busy || waiting.length === 0}
            onClick={() => void clean()}
            data-testid="clean-queue"
          >
            {busy ? 'Cleaning…' : `Clean queue${waiting.length ? ` (${waiting.length})` : ''}`}
          </button>
        </>
      }
    >
      <ErrorCallout error={loadError} />
      <h3 className="dialog-section">Running</h3>
      {queue?.running ? <DeploymentLine deployment={queue.running} /> : <p className="muted">Nothing is running.</p>}
      <h3 className="dialog-section">Waiting</h3>
      {waiting.length === 0 ? (
        <p className="muted">Nothing is waiting.</p>
      ) : (
        <ol className="queue-list" data-testid="queue-waiting">
          {waiting.map((d, i) => (
            <li key={d.id}>
              <span className="queue-index">{i + 1}</span>
              <span className="mono">{displayId(d.id)}</span> {d.cause}
            </li>
          ))}
        </ol>
      )}
      <p className="muted small">
        Clean queue drops the waiting deployments (they end Dropped, never having run); the running one goes on.
      </p>
      <ErrorCallout error={error} />
    </Dialog>
  );
}

/**
 * Which deployments (newest first) clearing would remove: neither in flight, waiting, live, nor a
 * rollback target, which are the `retained` most recent successful ones (the engine's count).
 */
export function clearable(deployments: Deployment[], retained: number): Deployment[] {
  const keep = new Set(
    deployments
      .filter((d) => d.phase === 'ACTIVE' || d.phase === 'SUPERSEDED')
      .slice(0, retained)
      .map((d) => d.id),
  );
  return deployments.filter((d) => isFinished(d.phase) && !keep.has(d.id));
}

export function ClearDeploymentsDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const client = useClient();
  const { ui, apps } = useStores();
  const now = useNow();
  const deployments = useDeployments(app.name);
  const historyLoaded = useApps((s) => s.historyLoaded[app.name] ?? false);
  const { data: storage, error: storageError } = useStorage();
  const retained = storage?.retainedDeployments ?? null;
  // What is kept depends on the engine's count, so nothing is offered for removal before it is known.
  const loaded = historyLoaded && retained !== null;
  const doomed = retained === null ? [] : clearable(deployments, retained);
  const kept = deployments.length - doomed.length;
  const { busy, error, run } = useAction();

  const confirm = async () => {
    const result = await run(() => client.apps.clearDeployments({ app: app.name }));
    if (!result) return;
    apps.getState().forgetDeployments(app.name, result.removed);
    ui.getState().closeDialog();
    ui.getState().toast({
      tone: 'ok',
      text: `${app.name}: removed ${plural(result.removed.length, 'old deployment')} and ${result.removed.length === 1 ? 'its log' : 'their logs'}.`,
    });
  };

  return (
    <Dialog
      title={`Clear old deployments of ${app.name}`}
      lead="Removes the records and logs of deployments that can no longer be rolled back to."
      onClose={onClose}
      testId="clear-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} autoFocus />
          <button
            type="button"
            className="button button-danger"
            disabled={busy || !loaded || doomed.length === 0}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy ? 'Removing…' : doomed.length ? `Remove ${plural(doomed.length, 'deployment')}` : 'Nothing to remove'}
          </button>
        </>
      }
    >
      <ErrorCallout error={storageError} />
      {!loaded ? (
        storageError ? null : (
          <p className="muted">Reading the history…</p>
        )
      ) : doomed.length === 0 ? (
        <p className="note" data-testid="clear-nothing">
          Nothing to remove: all {plural(deployments.length, 'deployment')} are live, in flight, waiting, or among the{' '}
          {recentSuccessful(retained)} ones (which can be rolled back to).
        </p>
      ) : (
        <>
          <p>
            <strong>{plural(doomed.length, 'deployment')}</strong> will be removed, with{' '}
            {doomed.length === 1 ? 'its' : 'their'} build and deploy logs:
          </p>
          <ul className="doomed-list" data-testid="clear-list">
            {doomed.map((d) => (
              <li key={d.id} data-deployment={d.id}>
                <span className="mono">{displayId(d.id)}</span>
                <PhaseBadge phase={d.phase} />
                <span>{d.cause}</span>
                <span className="muted">{timeAgo(d.createdAt, now)}</span>
              </li>
            ))}
          </ul>
          <p className="muted small">
            Kept: {plural(kept, 'deployment')} — the live one, any in flight or waiting, and the{' '}
            {recentSuccessful(retained)} ones. Images are not touched here.
          </p>
        </>
      )}
      <ErrorCallout error={error} />
    </Dialog>
  );
}
