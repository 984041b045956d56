import { useMemo, useState } from 'react';
import { EmptyState } from '../components/EmptyState';
import { EngineStatus } from '../components/EngineStatus';
import { Icon } from '../components/Icons';
import { PageHeader } from '../components/PageHeader';
import { ServerCard } from '../components/ServerCard';
import { useServers, useStores } from '../stores/context';
import { sortedServers } from '../stores/servers-store';

/** This machine's engine, then the servers reached over SSH, each with its live status. */
export function ServersPage() {
  const { system, servers: serversStore, ui } = useStores();
  const servers = useServers((s) => s.servers);
  const load = useServers((s) => s.load);
  const [refreshing, setRefreshing] = useState(false);
  const remote = useMemo(() => sortedServers(servers).filter((s) => s.kind === 'ssh'), [servers]);
  const addServer = () => ui.getState().openDialog({ kind: 'add-server' });
  const refresh = async () => {
    setRefreshing(true);
    await serversStore
      .getState()
      .refresh()
      .catch(() => undefined);
    setRefreshing(false);
  };

  return (
    <>
      <PageHeader title="Servers">
        {remote.length > 0 ? (
          <button type="button" className="button" disabled={refreshing} onClick={() => void refresh()}>
            {refreshing ? 'Checking…' : 'Check all'}
          </button>
        ) : null}
        <button type="button" className="button button-primary" onClick={addServer} data-testid="add-server">
          <Icon name="plus" /> Add server
        </button>
      </PageHeader>
      <div className="page-body">
        <EngineStatus store={system} />
        <section aria-labelledby="ssh-servers-title" className="servers-section">
          <h2 id="ssh-servers-title" className="section-title">
            Servers over SSH
          </h2>
          {load.state === 'failed' ? (
            <div className="callout callout-error" role="alert">
              <p className="callout-title">Slipway could not list the servers.</p>
              <p className="callout-body">{load.error.message}</p>
              <button type="button" className="button" onClick={() => serversStore.getState().start()}>
                Try again
              </button>
            </div>
          ) : load.state === 'loading' && remote.length === 0 ? (
            <p className="muted" aria-busy="true">
              Checking servers…
            </p>
          ) : remote.length === 0 ? (
            <EmptyState title="No servers yet">
              Add a server you reach with SSH and Slipway deploys apps to its Docker engine. Slipway verifies its host
              key, keeps one connection to it, and touches only the containers it labels.
              <span className="empty-actions">
                <button type="button" className="button button-primary" onClick={addServer}>
                  <Icon name="plus" /> Add your first server
                </button>
              </span>
            </EmptyState>
          ) : (
            <ul className="server-list" aria-label="Servers over SSH" data-testid="server-list">
              {remote.map((server) => (
                <li key={server.name}>
                  <ServerCard server={server} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
