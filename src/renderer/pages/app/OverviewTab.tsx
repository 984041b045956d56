import type { ReactNode } from 'react';
import type { AppSummary } from '../../../shared/domains/apps';
import type { Deployment } from '../../../shared/deployment';
import { ComponentUrl } from './ComponentUrl';
import { LiveMarker, PhaseBadge } from '../../components/Badges';
import { PinnedRollback } from '../../components/PinnedRollback';
import { SpecFileNote } from '../../components/SpecFileNote';
import { StepTree } from '../../components/StepTree';
import { DatabasesPanel } from '../../databases/DatabasesPanel';
import { deploymentDuration, formatTime, plural, displayId, shortRevision, timeAgo } from '../../lib/format';
import { useNow } from '../../lib/use-now';
import { useStores } from '../../stores/context';
import { queueOf, useDeployments } from './use-deployments';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function LiveDeployment({ deployment, now }: { deployment: Deployment; now: number }) {
  return (
    <dl className="facts facts-plain" data-testid="overview-live">
      <Fact label="Deployment">
        <span className="mono">{displayId(deployment.id)}</span> <LiveMarker />
      </Fact>
      <Fact label="Cause">{deployment.cause}</Fact>
      <Fact label="Went live">
        <span title={formatTime(deployment.finishedAt ?? deployment.updatedAt)}>
          {timeAgo(deployment.finishedAt ?? deployment.updatedAt, now)}
        </span>
      </Fact>
      <Fact label="Source">
        <span className="mono">{shortRevision(deployment.sourceRevision)}</span>
      </Fact>
    </dl>
  );
}

export function OverviewTab({ app }: { app: AppSummary }) {
  const { ui } = useStores();
  const now = useNow();
  const deployments = useDeployments(app.name);
  const live = deployments.find((d) => d.phase === 'ACTIVE') ?? null;
  const { running, waiting } = queueOf(deployments);
  const failed = app.failedDeployment;
  // The log of the part that failed: the build, unless the build went through.
  const failedBuild = deployments.find((d) => d.id === failed?.id)?.progress.find((step) => step.name === 'build');
  const failedLog = failedBuild && failedBuild.status !== 'ERROR' ? 'deploy' : 'build';
  const navigate = ui.getState().navigate;
  const openDialog = ui.getState().openDialog;

  return (
    <div className="overview">
      <PinnedRollback app={app} />
      <SpecFileNote app={app} />
      <section className="panel" aria-labelledby="ov-components">
        <header className="panel-header">
          <h2 id="ov-components">Components</h2>
        </header>
        <table className="table" data-testid="components-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Instances</th>
              <th scope="col">URL</th>
            </tr>
          </thead>
          <tbody>
            {app.components.map((c) => (
              <tr key={c.name}>
                <td className="strong">{c.name}</td>
                <td>{c.kind}</td>
                <td>{plural(c.instanceCount, 'instance')}</td>
                <td>
                  <ComponentUrl component={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <DatabasesPanel app={app} />

      {running ? (
        <section className="panel panel-progress" aria-labelledby="ov-progress" data-testid="overview-progress">
          <header className="panel-header">
            <h2 id="ov-progress">In progress</h2>
            <div className="panel-actions">
              <button
                type="button"
                className="button button-small"
                onClick={() =>
                  navigate({ page: 'app', app: app.name, tab: 'logs', deployment: running.id, logType: 'build' })
                }
              >
                View logs
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => openDialog({ kind: 'cancel', app: app.name })}
              >
                Cancel…
              </button>
            </div>
          </header>
          <p className="deployment-line">
            <PhaseBadge phase={running.phase} /> <span className="mono">{displayId(running.id)}</span> · {running.cause}{' '}
            · started {timeAgo(running.createdAt, now)} · {deploymentDuration(running, now)}
          </p>
          <StepTree steps={running.progress} now={now} />
        </section>
      ) : null}

      {failed && !running ? (
        <div className="callout callout-error" data-testid="overview-failure">
          <p className="callout-title">
            {live ? 'The last deployment failed; the live one keeps serving.' : 'The last deployment failed.'}
          </p>
          <p className="callout-body">
            <span className="mono">{displayId(failed.id)}</span> · {failed.cause} · {timeAgo(failed.createdAt, now)}:{' '}
            {failed.message}
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button button-small"
              onClick={() => navigate({ page: 'app', app: app.name, tab: 'activity', deployment: failed.id })}
            >
              Details
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() =>
                navigate({ page: 'app', app: app.name, tab: 'logs', deployment: failed.id, logType: failedLog })
              }
            >
              {failedLog === 'build' ? 'Build logs' : 'Deploy logs'}
            </button>
          </div>
        </div>
      ) : null}

      <section className="panel" aria-labelledby="ov-live">
        <header className="panel-header">
          <h2 id="ov-live">Live deployment</h2>
          {live ? (
            <button
              type="button"
              className="button button-small"
              onClick={() => navigate({ page: 'app', app: app.name, tab: 'activity', deployment: live.id })}
            >
              Details
            </button>
          ) : null}
        </header>
        {live ? (
          <LiveDeployment deployment={live} now={now} />
        ) : (
          <p className="muted">Nothing is live yet. Deploy to build and start the app.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="ov-queue">
        <header className="panel-header">
          <h2 id="ov-queue">Queue</h2>
          <button
            type="button"
            className="button button-small"
            onClick={() => openDialog({ kind: 'queue', app: app.name })}
          >
            Manage queue…
          </button>
        </header>
        {waiting.length === 0 ? (
          <p className="muted">
            No deployment is waiting. A deployment asked for while another runs waits here, in order.
          </p>
        ) : (
          <ol className="queue-list" data-testid="overview-queue">
            {waiting.map((d, index) => (
              <li key={d.id}>
                <span className="queue-index">{index + 1}</span>
                <span className="mono">{displayId(d.id)}</span> {d.cause} · queued {timeAgo(d.createdAt, now)}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
