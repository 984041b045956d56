import type { AppSummary } from '../../shared/domains/apps';
import { displayId, formatTime, plural, shortRevision, timeAgo } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useStores } from '../stores/context';
import { AppActionsMenu } from './AppActions';
import { StatusBadge } from './Badges';
import { Icon } from './Icons';
import { PinnedRollback } from './PinnedRollback';

/** The app's address: its own URL when it routes by path, else its first service's, as App Platform shows the default ingress. */
export function appUrl(app: AppSummary): string | null {
  return app.url ?? app.components.find((c) => c.kind === 'service' && c.url)?.url ?? null;
}

/** Where the server's edge serves the app under its domains: each domain once, without a component's path. */
export function appPublicUrls(app: AppSummary): string[] {
  return [...new Set(app.components.flatMap((c) => c.publicUrls ?? []).map((u) => new URL(u).origin))];
}

/** An http(s) URL shown without its scheme. */
export function displayUrl(url: string): string {
  return url.replace(/^https?:\/\//, '');
}

/** A link to a deployed app: in the desktop app it opens in the system browser. */
export function ExternalLink({ url, className, testId }: { url: string; className?: string; testId?: string }) {
  // Only web addresses are links; anything else the engine might say is shown as text.
  if (!/^https?:\/\//i.test(url)) return <span className={className}>{url}</span>;
  return (
    <a
      className={`external-link ${className ?? ''}`}
      href={url}
      target="_blank"
      rel="noreferrer noopener"
      data-testid={testId}
    >
      {displayUrl(url)}
      <Icon name="external" />
    </a>
  );
}

function LiveLine({ app, now }: { app: AppSummary; now: number }) {
  const { ui } = useStores();
  const live = app.liveDeployment;
  const active = app.activeDeployment;
  const failed = app.failedDeployment;
  return (
    <>
      {live ? (
        <p className="card-line" data-testid="live-deployment">
          <span className="muted">Live:</span> {live.cause} ·{' '}
          <span title={formatTime(live.createdAt)}>{timeAgo(live.createdAt, now)}</span> ·{' '}
          <span className="mono" title={live.sourceRevision ?? 'Deployed from a local folder'}>
            {shortRevision(live.sourceRevision)}
          </span>
        </p>
      ) : (
        <p className="card-line muted">
          {active ? 'First deployment in progress' : failed ? 'Nothing is live' : 'Not deployed yet'}
        </p>
      )}
      {active ? (
        <p className="card-line card-progress" data-testid="active-deployment">
          <span className="muted">Now:</span> {active.cause} · <span className="mono">{displayId(active.id)}</span>
        </p>
      ) : null}
      {failed && !active ? (
        <div className="card-failure" data-testid="failed-deployment">
          <p className="card-failure-title">
            <span>{live ? 'Last deploy failed' : 'Deploy failed'}</span>
            <button
              type="button"
              className="link-button"
              onClick={() =>
                ui.getState().navigate({ page: 'app', app: app.name, tab: 'activity', deployment: failed.id })
              }
            >
              Details
            </button>
          </p>
          <p className="card-failure-message" title={failed.message}>
            {failed.message}
          </p>
        </div>
      ) : null}
    </>
  );
}

export function AppCard({ app }: { app: AppSummary }) {
  const { ui } = useStores();
  const now = useNow();
  // A URL with nothing live behind it would only answer with an error.
  const url = app.liveDeployment ? appUrl(app) : null;
  // Where the server's edge serves the app, its public URLs take the tunnel's place.
  const publicUrls = app.liveDeployment ? appPublicUrls(app) : [];
  const open = () => ui.getState().navigate({ page: 'app', app: app.name, tab: 'overview' });
  return (
    <article className="app-card" data-testid="app-card" data-app={app.name} aria-labelledby={`card-${app.name}`}>
      <header className="card-header">
        <div className="card-title">
          <h2 id={`card-${app.name}`}>
            <button type="button" className="card-open" onClick={open}>
              {app.name}
            </button>
          </h2>
          <p className="card-server muted">
            <Icon name="box" /> {app.server}
          </p>
        </div>
        <AppActionsMenu app={app} compact />
      </header>
      <div className="card-status">
        <StatusBadge status={app.status} phase={app.activeDeployment?.phase ?? null} />
      </div>
      <LiveLine app={app} now={now} />
      <PinnedRollback app={app} compact />
      <ul className="card-components" aria-label="Components">
        {app.components.map((component) => (
          <li key={component.name}>
            <span className="component-name">{component.name}</span>
            <span className="muted">
              {component.kind} · {plural(component.instanceCount, 'instance')}
            </span>
          </li>
        ))}
      </ul>
      <footer className="card-footer">
        {publicUrls.length > 0 ? (
          <span className="card-public-urls" data-testid="app-public-urls">
            {publicUrls.map((u) => (
              <ExternalLink key={u} url={u} className="public-url" testId="app-public-url" />
            ))}
          </span>
        ) : url ? (
          <ExternalLink url={url} testId="app-url" />
        ) : (
          <span className="muted">No URL yet</span>
        )}
      </footer>
    </article>
  );
}
