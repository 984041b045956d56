import { useEffect } from 'react';
import { DialogHost } from './components/DialogHost';
import { EngineIndicator } from './components/EngineStatus';
import { Sidebar } from './components/Sidebar';
import { Toasts } from './components/Toasts';
import { PAGES } from './navigation';
import { AppDetailPage } from './pages/AppDetailPage';
import { AppsPage } from './pages/AppsPage';
import { ServersPage } from './pages/ServersPage';
import { SettingsPage } from './pages/SettingsPage';
import { useStores, useUi } from './stores/context';
import { pageOf, type Route } from './stores/ui-store';

function titleOf(route: Route): string {
  if (route.page === 'app') return route.app;
  return PAGES.find((entry) => entry.id === route.page)?.title ?? 'Slipway';
}

export function App() {
  const { system, apps, servers, ui } = useStores();
  const route = useUi((s) => s.route);

  useEffect(() => system.getState().start(), [system]);
  useEffect(() => apps.getState().start(), [apps]);
  useEffect(() => servers.getState().start(), [servers]);

  useEffect(() => {
    document.title = `${titleOf(route)} · Slipway`;
  }, [route]);

  // A new page starts at its top.
  const pageKey = route.page === 'app' ? `app/${route.app}` : route.page;
  useEffect(() => {
    document.querySelector('.main')?.scrollTo({ top: 0 });
  }, [pageKey]);

  return (
    <div className="shell">
      <Sidebar
        active={pageOf(route)}
        onNavigate={(page) => ui.getState().navigate({ page })}
        footer={<EngineIndicator store={system} />}
      />
      <main className="main">
        {route.page === 'apps' ? <AppsPage /> : null}
        {route.page === 'app' ? <AppDetailPage key={route.app} route={route} /> : null}
        {route.page === 'servers' ? <ServersPage /> : null}
        {route.page === 'settings' ? <SettingsPage /> : null}
      </main>
      <DialogHost />
      <Toasts />
    </div>
  );
}
