import { useEffect } from 'react';
import { AppActionsMenu } from '../components/AppActions';
import { appUrl, ExternalLink } from '../components/AppCard';
import { StatusBadge } from '../components/Badges';
import { EmptyState } from '../components/EmptyState';
import { Icon } from '../components/Icons';
import { PageHeader } from '../components/PageHeader';
import { Tabs } from '../components/Tabs';
import { describeError } from '../lib/errors';
import { useApps, useStores } from '../stores/context';
import { DETAIL_TABS, type Route } from '../stores/ui-store';
import { ActivityTab } from './app/ActivityTab';
import { LogsTab } from './app/LogsTab';
import { OverviewTab } from './app/OverviewTab';
import { SettingsTab } from './app/SettingsTab';

type AppRoute = Extract<Route, { page: 'app' }>;

export function AppDetailPage({ route }: { route: AppRoute }) {
  const { apps: appsStore, ui } = useStores();
  const app = useApps((s) => s.apps[route.app]);
  const loaded = useApps((s) => s.load.state === 'ready');
  const navigate = ui.getState().navigate;

  useEffect(() => {
    const state = appsStore.getState();
    void state.loadDetail(route.app).catch((err: unknown) => {
      const shown = describeError(err);
      if (shown.code !== 'APP_NOT_FOUND') ui.getState().toast({ tone: 'danger', text: shown.message });
    });
    void state.loadHistory(route.app).catch(() => undefined);
  }, [appsStore, ui, route.app]);

  const back = (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <button type="button" className="link-button" onClick={() => navigate({ page: 'apps' })}>
        <Icon name="back" /> Apps
      </button>
    </nav>
  );

  if (!app) {
    return (
      <>
        <PageHeader title={route.app} before={back} />
        <div className="page-body">
          {loaded ? (
            <EmptyState title="This app does not exist (any more)">
              It may have been deleted from another window or from the command line.
            </EmptyState>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </div>
      </>
    );
  }

  const url = appUrl(app);
  return (
    <>
      <PageHeader
        before={back}
        title={
          <span className="detail-title">
            {app.name}
            <StatusBadge status={app.status} phase={app.activeDeployment?.phase ?? null} />
          </span>
        }
      >
        <button
          type="button"
          className="button button-primary"
          onClick={() => ui.getState().openDialog({ kind: 'deploy', app: app.name })}
          data-testid="deploy-button"
        >
          <Icon name="rocket" /> Deploy
        </button>
        <AppActionsMenu app={app} />
      </PageHeader>
      <p className="detail-sub">
        <span className="muted">
          <Icon name="box" /> {app.server}
        </span>
        {url ? <ExternalLink url={url} testId="detail-url" /> : null}
      </p>
      <Tabs
        label={`${app.name} sections`}
        tabs={DETAIL_TABS}
        selected={route.tab}
        idPrefix="detail"
        onSelect={(tab) => navigate({ page: 'app', app: app.name, tab })}
        testId="detail-tabs"
      />
      <section
        id="detail-panel"
        role="tabpanel"
        aria-labelledby={`detail-tab-${route.tab}`}
        className="detail-panel"
        data-testid={`tab-${route.tab}`}
      >
        {route.tab === 'overview' ? <OverviewTab app={app} /> : null}
        {route.tab === 'activity' ? <ActivityTab app={app} open={route.deployment} /> : null}
        {route.tab === 'logs' ? <LogsTab app={app} route={route} /> : null}
        {route.tab === 'settings' ? <SettingsTab app={app} /> : null}
      </section>
    </>
  );
}
