import { useEffect, useState } from 'react';
import type { AppSummary } from '../../shared/domains/apps';
import { useClient } from '../client';
import { formatBytes } from '../lib/format';
import { useRequest } from '../lib/use-request';
import { CredentialsDialog } from './CredentialsDialog';
import { DatabaseHealthBadge } from './DatabaseHealthBadge';
import { DbShellTerminal } from './DbShellTerminal';

/** While a database starts, its health is asked again this often (Docker tells no event for it). */
const STARTING_REFRESH_MS = 2_000;

/**
 * The app's databases on its Overview: engine, health, volume and size, asked again whenever the app changes
 * (its events) and while one starts; each with its shell and its credentials.
 */
export function DatabasesPanel({ app }: { app: AppSummary }) {
  const client = useClient();
  const [tick, setTick] = useState(0);
  const [shell, setShell] = useState<string | null>(null);
  const [credentials, setCredentials] = useState<string | null>(null);
  const { data, error } = useRequest(
    () => client.databases.list({ app: app.name }),
    [client, app.name, app.status, app.updatedAt, app.liveDeployment?.id, app.activeDeployment?.phase, tick],
  );
  const starting = data?.some((d) => d.health === 'starting') ?? false;
  useEffect(() => {
    if (!starting) return;
    const timer = setTimeout(() => setTick((t) => t + 1), STARTING_REFRESH_MS);
    return () => clearTimeout(timer);
  }, [starting, data]);

  if (!data || data.length === 0) {
    return error ? (
      <p className="muted" role="alert">
        Its databases could not be listed: {error.message}
      </p>
    ) : null;
  }
  return (
    <>
      <section className="panel panel-wide" aria-labelledby="ov-databases">
        <header className="panel-header">
          <h2 id="ov-databases">Databases</h2>
        </header>
        <table className="table" data-testid="databases-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Engine</th>
              <th scope="col">Health</th>
              <th scope="col">Volume</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((db) => (
              <tr key={db.name} data-testid="database-row" data-db={db.name}>
                <td className="strong">{db.name}</td>
                <td>
                  {db.engine} {db.version}
                </td>
                <td>
                  <DatabaseHealthBadge health={db.health} />
                </td>
                <td className="mono">{db.volume}</td>
                <td>{db.volumeBytes === null ? '—' : formatBytes(db.volumeBytes)}</td>
                <td>
                  <div className="panel-actions">
                    <button
                      type="button"
                      className="button button-small"
                      disabled={db.health !== 'healthy' && db.health !== 'starting' && db.health !== 'unhealthy'}
                      onClick={() => setShell(db.name)}
                      data-testid="db-open-shell"
                    >
                      Open shell
                    </button>
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => setCredentials(db.name)}
                      data-testid="db-show-credentials"
                    >
                      Show credentials…
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {shell ? (
        <section className="panel panel-wide" aria-label={`Shell of ${shell}`}>
          {/* Keyed by database: another one's shell is a new session. */}
          <DbShellTerminal key={shell} app={app.name} db={shell} onClose={() => setShell(null)} />
        </section>
      ) : null}
      {credentials ? <CredentialsDialog app={app.name} db={credentials} onClose={() => setCredentials(null)} /> : null}
    </>
  );
}
