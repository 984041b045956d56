import { useEffect, useState, type JSX } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import { EngineIndicator, EngineStatus } from './components/EngineStatus';
import { Sidebar } from './components/Sidebar';
import { PAGES, type PageId } from './navigation';
import { AppsPage } from './pages/AppsPage';
import { ServersPage } from './pages/ServersPage';
import { SettingsPage } from './pages/SettingsPage';
import type { SystemState } from './stores/system-store';

const PAGE_CONTENT: Record<PageId, () => JSX.Element> = {
  apps: AppsPage,
  servers: ServersPage,
  settings: SettingsPage,
};

export function App({ systemStore }: { systemStore: StoreApi<SystemState> }) {
  const [page, setPage] = useState<PageId>('apps');
  const title = PAGES.find((entry) => entry.id === page)?.title ?? 'Slipway';
  const Content = PAGE_CONTENT[page];

  useEffect(() => systemStore.getState().start(), [systemStore]);

  useEffect(() => {
    document.title = `${title} · Slipway`;
  }, [title]);

  return (
    <div className="shell">
      <Sidebar active={page} onNavigate={setPage} footer={<EngineIndicator store={systemStore} />} />
      <main className="main">
        <header className="page-header">
          <h1>{title}</h1>
        </header>
        <div className="page-body">
          <Content />
          <EngineStatus store={systemStore} />
        </div>
      </main>
    </div>
  );
}
