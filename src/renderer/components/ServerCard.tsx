import { useState } from 'react';
import type { ServerState, ServerSummary } from '../../shared/domains/servers';
import { useClient } from '../client';
import { describeError } from '../lib/errors';
import { formatBytes, formatTime, plural, timeAgo } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useApps, useStores } from '../stores/context';
import { EdgeSection } from './edge/EdgeSection';

const STATE_LABEL: Record<ServerState, string> = {
  online: 'Online',
  offline: 'Offline',
  untrusted: 'Host key not trusted',
};

const STATE_TONE: Record<ServerState, 'ok' | 'danger' | 'warning'> = {
  online: 'ok',
  offline: 'danger',
  untrusted: 'warning',
};

const AUTH_LABEL: Record<ServerSummary['auth'], string> = {
  agent: 'ssh-agent',
  key: 'Key file',
  password: 'Password',
  local: 'Local socket',
};

export function ServerStatusBadge({ state, checking }: { state: ServerState; checking: boolean }) {
  const tone = checking ? 'progress' : STATE_TONE[state];
  return (
    <span className={`badge tone-${tone}`} data-testid="server-status" data-state={state} aria-live="polite">
      <span className={`badge-dot ${checking ? 'pulse' : ''}`} aria-hidden="true" />
      {checking ? 'Checking…' : STATE_LABEL[state]}
    </span>
  );
}

/** `root@203.0.113.7:2222`, the way ssh names a destination. */
export function sshAddress(server: Pick<ServerSummary, 'user' | 'host' | 'port'>): string {
  return `${server.user}@${server.host}${server.port === 22 ? '' : `:${server.port}`}`;
}

/** How many apps target a server, live from the apps store (the server's status counts them only when checked). */
export function useAppsOn(server: string): number {
  return useApps((s) => Object.values(s.apps).filter((app) => app.server === server).length);
}

/** One server over SSH: how it is reached, what it runs, and what can be done with it. */
export function ServerCard({ server }: { server: ServerSummary }) {
  const client = useClient();
  const { servers, ui } = useStores();
  const now = useNow();
  const [checking, setChecking] = useState(false);
  const { status } = server;
  const apps = useAppsOn(server.name);

  const test = async () => {
    setChecking(true);
    try {
      const checked = await client.servers.test({ name: server.name });
      servers.getState().put(checked);
      ui.getState().toast({
        tone: checked.status.state === 'online' ? 'ok' : 'danger',
        text:
          checked.status.state === 'online'
            ? `${server.name} answers: Docker ${checked.status.dockerVersion ?? ''}.`
            : `${server.name}: ${checked.status.reason ?? STATE_LABEL[checked.status.state]}`,
      });
    } catch (err) {
      ui.getState().toast({ tone: 'danger', text: `${server.name}: ${describeError(err).message}` });
    } finally {
      setChecking(false);
    }
  };

  return (
    <article
      className="server-card"
      data-testid="server-card"
      data-server={server.name}
      aria-labelledby={`server-${server.name}`}
    >
      <header className="card-header">
        <div className="card-title">
          <h2 id={`server-${server.name}`}>{server.name}</h2>
          <p className="card-server muted mono" data-testid="server-address">
            {sshAddress(server)}
            {server.jump ? ` via ${server.jump}` : ''}
          </p>
        </div>
        <ServerStatusBadge state={status.state} checking={checking} />
      </header>
      <dl className="facts facts-compact">
        <div>
          <dt>Docker</dt>
          <dd data-testid="server-docker-version">{status.dockerVersion ?? '—'}</dd>
        </div>
        <div>
          <dt>Apps</dt>
          <dd data-testid="server-apps">{plural(apps, 'app')}</dd>
        </div>
        <div>
          <dt>Free disk</dt>
          <dd>{status.diskFree === undefined ? '—' : formatBytes(status.diskFree)}</dd>
        </div>
        <div>
          <dt>Sign-in</dt>
          <dd>{AUTH_LABEL[server.auth]}</dd>
        </div>
        <div className="wide">
          <dt>Host key</dt>
          <dd className="mono" data-testid="server-host-key">
            {server.hostKey ?? 'not trusted yet'}
          </dd>
        </div>
      </dl>
      {status.state !== 'online' && status.reason ? (
        <p
          className={`callout ${status.state === 'untrusted' ? 'callout-warning' : 'callout-error'} callout-compact`}
          data-testid="server-reason"
        >
          {status.reason}
        </p>
      ) : null}
      <EdgeSection server={server.name} online={status.state === 'online'} />
      <footer className="card-footer server-card-footer">
        <span className="muted" title={formatTime(status.checkedAt)}>
          Checked {timeAgo(status.checkedAt, now)}
        </span>
        <span className="server-actions">
          {status.state === 'untrusted' ? (
            <button
              type="button"
              className="button button-small button-primary"
              onClick={() => ui.getState().openDialog({ kind: 'trust-server', server: server.name })}
            >
              Review host key…
            </button>
          ) : null}
          <button type="button" className="button button-small" disabled={checking} onClick={() => void test()}>
            Test connection
          </button>
          <button
            type="button"
            className="button button-small"
            onClick={() => ui.getState().openDialog({ kind: 'remove-server', server: server.name })}
          >
            Remove…
          </button>
        </span>
      </footer>
    </article>
  );
}
