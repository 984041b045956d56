import type { AppSummary } from '../../../shared/domains/apps';
import type { Deployment } from '../../../shared/deployment';
import { LiveMarker, PhaseBadge } from '../../components/Badges';
import { Icon } from '../../components/Icons';
import { StepTree } from '../../components/StepTree';
import { deploymentDuration, formatTime, displayId, shortRevision, timeAgo } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useApps, useStores } from '../../stores/context';
import { useDeployments } from './use-deployments';
import { displayTitle } from '../../../shared/deployment-title';
import { sourceSummary } from '../../../shared/deployment-source-text';

/** A row's second line: what it was built from and the start of its note. Plain React text, never HTML. */
function rowMeta(d: Deployment): string {
  const note = d.description?.split('\n').find((l) => l.trim() !== '');
  const dropped = d.dropped ? `Dropped from the queue by ${d.dropped.by}` : null;
  // A title says what the user called it; a cause it does not imply (a force rebuild) is still told.
  const cause = d.title && d.title !== d.cause && !['manual', 'redeploy'].includes(d.cause) ? d.cause : null;
  return [dropped, cause, d.source ? sourceSummary(d.source) : null, note ?? null].filter(Boolean).join(' · ');
}

function DeploymentDetail({ app, deployment, now }: { app: string; deployment: Deployment; now: number }) {
  const { ui } = useStores();
  const { navigate, openDialog } = ui.getState();
  const successful = deployment.phase === 'ACTIVE' || deployment.phase === 'SUPERSEDED';
  return (
    <div className="deployment-detail" data-testid="deployment-detail" data-deployment={deployment.id}>
      <dl className="facts facts-plain">
        <div>
          <dt>Deployment</dt>
          <dd className="mono">{deployment.id}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(deployment.createdAt)}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd className="mono" data-testid="deployment-source">
            {deployment.source ? sourceSummary(deployment.source) : shortRevision(deployment.sourceRevision)}
          </dd>
        </div>
        <div>
          <dt>Options</dt>
          <dd>
            {[
              deployment.options.forceRebuild ? 'force rebuild' : null,
              deployment.options.clearCache ? 'no build cache' : null,
              deployment.plan.type === 'restart' ? `restart ${deployment.plan.components.join(', ')}` : null,
              deployment.plan.type === 'rollback' ? `images of ${displayId(deployment.plan.target)}` : null,
            ]
              .filter(Boolean)
              .join(' · ') || '—'}
          </dd>
        </div>
      </dl>
      {deployment.description ? (
        <p className="deployment-description" data-testid="deployment-description">
          {deployment.description}
        </p>
      ) : null}
      {deployment.dropped ? (
        <p className="muted" data-testid="deployment-dropped">
          Dropped from the queue by {deployment.dropped.by} {timeAgo(deployment.dropped.at, now)}.
        </p>
      ) : null}
      {deployment.canceled ? (
        <p className="muted">
          Canceled by {deployment.canceled.by} {timeAgo(deployment.canceled.at, now)}.
        </p>
      ) : null}
      {deployment.error && deployment.phase === 'ERROR' ? (
        <div className="callout callout-error" data-testid="deployment-error">
          <p className="callout-title">
            {deployment.error.message} <code>{deployment.error.code}</code>
          </p>
          {deployment.error.lastLogLines?.length ? (
            <pre className="log-excerpt">{deployment.error.lastLogLines.join('\n')}</pre>
          ) : null}
        </div>
      ) : null}
      <StepTree steps={deployment.progress} now={now} />
      <div className="button-row">
        <button
          type="button"
          className="button button-small"
          onClick={() => navigate({ page: 'app', app, tab: 'logs', deployment: deployment.id, logType: 'build' })}
        >
          Build logs
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => navigate({ page: 'app', app, tab: 'logs', deployment: deployment.id, logType: 'deploy' })}
        >
          Deploy logs
        </button>
        {successful && deployment.phase !== 'ACTIVE' ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => openDialog({ kind: 'rollback', app, deployment: deployment.id })}
          >
            Roll back to this…
          </button>
        ) : null}
      </div>
    </div>
  );
}

export function ActivityTab({ app, open }: { app: AppSummary; open: string | undefined }) {
  const { ui } = useStores();
  const now = useNow();
  const deployments = useDeployments(app.name);
  const loaded = useApps((s) => s.historyLoaded[app.name] ?? false);
  const toggle = (id: string) =>
    ui.getState().navigate({ page: 'app', app: app.name, tab: 'activity', deployment: open === id ? undefined : id });

  if (deployments.length === 0) {
    return <p className="muted panel-note">{loaded ? 'No deployments yet.' : 'Loading the history…'}</p>;
  }
  return (
    <ol className="activity" aria-label="Deployments, newest first" data-testid="activity">
      {deployments.map((d) => {
        const expanded = d.id === open;
        return (
          <li
            key={d.id}
            className={`activity-item ${expanded ? 'expanded' : ''}`}
            data-testid="activity-row"
            data-deployment={d.id}
            data-phase={d.phase}
          >
            <button
              type="button"
              className="activity-row"
              aria-expanded={expanded}
              aria-controls={`deployment-${d.id}`}
              onClick={() => toggle(d.id)}
            >
              <Icon name="chevron" className="activity-chevron" />
              <span className="activity-phase">
                <PhaseBadge phase={d.phase} />
              </span>
              <span className="activity-cause">
                <span className="activity-title">
                  <span data-testid="activity-title">{displayTitle(d)}</span>
                  {d.phase === 'ACTIVE' ? <LiveMarker /> : null}
                </span>
                {rowMeta(d) ? (
                  <span className="activity-meta" data-testid="activity-meta">
                    {rowMeta(d)}
                  </span>
                ) : null}
              </span>
              <span className="activity-id mono">{displayId(d.id)}</span>
              <span className="activity-time" title={formatTime(d.createdAt)}>
                {timeAgo(d.createdAt, now)}
              </span>
              {/* A dropped deployment never ran: it has no duration. */}
              <span className="activity-duration mono">{d.phase === 'DROPPED' ? '—' : deploymentDuration(d, now)}</span>
            </button>
            {expanded ? (
              <div id={`deployment-${d.id}`}>
                <DeploymentDetail app={app.name} deployment={d} now={now} />
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
