import { useMemo } from 'react';
import { AppCard } from '../components/AppCard';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icons';
import { PageHeader } from '../components/PageHeader';
import { useApps, useStores, useSystem } from '../stores/context';

export function AppsPage() {
  const { ui, apps: appsStore } = useStores();
  const apps = useApps((s) => s.apps);
  const load = useApps((s) => s.load);
  const engine = useSystem((s) => s.status);
  const sorted = useMemo(() => Object.values(apps).sort((a, b) => a.name.localeCompare(b.name)), [apps]);
  const newApp = () => ui.getState().openDialog({ kind: 'new-app' });

  return (
    <>
      <PageHeader title="Apps">
        <button type="button" className="button button-primary" onClick={newApp} data-testid="new-app">
          <Icon name="plus" /> New app
        </button>
      </PageHeader>
      <div className="page-body page-body-wide">
        {engine.state === 'unreachable' ? (
          <div className="callout callout-error" role="alert">
            <p className="callout-title">The Docker engine does not answer.</p>
            <p className="callout-body">{engine.message}</p>
            <p className="callout-meta">
              Apps below show what Slipway last knew. <code>{engine.code}</code>
            </p>
          </div>
        ) : null}
        {load.state === 'failed' ? (
          <div className="callout callout-error" role="alert">
            <p className="callout-title">Slipway could not list the apps.</p>
            <p className="callout-body">{load.error.message}</p>
            <button type="button" className="button" onClick={() => appsStore.getState().start()}>
              Try again
            </button>
          </div>
        ) : load.state === 'loading' ? (
          <p className="muted" aria-busy="true">
            Loading apps…
          </p>
        ) : sorted.length === 0 ? (
          <EmptyState title="No apps yet">
            Deploy a folder with a Dockerfile and an app spec (a DigitalOcean App Platform <code>app.yaml</code> works
            as it is). It is built and run on this machine&apos;s Docker engine.
            <span className="empty-actions">
              <button type="button" className="button button-primary" onClick={newApp}>
                <Icon name="plus" /> Create your first app
              </button>
            </span>
          </EmptyState>
        ) : (
          <ul className="app-grid" aria-label="Apps" data-testid="app-grid">
            {sorted.map((app) => (
              <li key={app.name}>
                <AppCard app={app} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}
