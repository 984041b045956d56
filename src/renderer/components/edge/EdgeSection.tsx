import { useCallback, useEffect, useState } from 'react';
import type { ServerEdgeStatus } from '../../../shared/domains/servers';
import { useClient } from '../../client';
import { describeError, type ShownError } from '../../lib/errors';
import { useStores } from '../../stores/context';
import { DisableEdgeDialog } from './DisableEdgeDialog';
import { EnableEdgeDialog } from './EnableEdgeDialog';

const TLS_SHOWN = { acme: "Let's Encrypt", internal: 'internal CA', off: 'off' } as const;

function EdgeFacts({ status }: { status: ServerEdgeStatus }) {
  const healthy = status.container === 'running';
  return (
    <dl className="facts facts-compact" data-testid="edge-facts">
      <div>
        <dt>HTTP</dt>
        <dd data-testid="edge-http-port">{status.httpPort ?? '—'}</dd>
      </div>
      <div>
        <dt>HTTPS</dt>
        <dd data-testid="edge-https-port">{status.tls === 'off' ? '—' : (status.httpsPort ?? '—')}</dd>
      </div>
      <div>
        <dt>Bind</dt>
        <dd className="mono" data-testid="edge-bind">
          {status.bind ?? '—'}
        </dd>
      </div>
      <div>
        <dt>TLS</dt>
        <dd data-testid="edge-tls-mode" data-tls={status.tls}>
          {status.tls ? TLS_SHOWN[status.tls] : '—'}
        </dd>
      </div>
      <div className="wide">
        <dt>Health</dt>
        <dd data-testid="edge-health" data-container={status.container ?? 'unknown'}>
          <span className={`badge tone-${healthy ? 'ok' : 'danger'}`}>
            <span className="badge-dot" aria-hidden="true" />
            {healthy ? 'Caddy running' : `Caddy ${status.container ?? 'unknown'}`}
          </span>
        </dd>
      </div>
      {status.routes.length > 0 || status.ports?.length ? (
        <div className="wide">
          <dt>Serves</dt>
          <dd>
            <ul className="edge-domains" data-testid="edge-domains">
              {status.routes.map((r) => (
                <EdgeDomain key={r.domain} route={r} />
              ))}
              {status.ports?.map((p) => (
                <li key={p.port} data-testid="edge-port" data-port={p.port}>
                  <span className="mono">{p.url}</span> <span className="muted">→ {p.app} (no domain, plain HTTP)</span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

const CERT_TONE = { valid: 'ok', expired: 'danger', failed: 'danger', pending: 'warning', off: 'neutral' } as const;

/** One routed domain: the app it serves and its certificate's state, with Caddy's last error when it has one. */
function EdgeDomain({ route }: { route: ServerEdgeStatus['routes'][number] }) {
  const cert = route.certificate;
  return (
    <li data-testid="edge-domain" data-domain={route.domain} data-certificate={cert?.state ?? 'unknown'}>
      <span className="mono">{route.domain}</span> <span className="muted">→ {route.app}</span>{' '}
      {cert ? (
        <span className={`badge tone-${CERT_TONE[cert.state]}`} title={cert.issuer ?? undefined}>
          {cert.state === 'off' ? 'no TLS' : `certificate ${cert.state}`}
          {cert.notAfter && cert.state !== 'off' ? ` until ${cert.notAfter.slice(0, 10)}` : ''}
        </span>
      ) : null}
      {cert?.lastError ? (
        <span className="callout callout-error callout-compact" data-testid="edge-certificate-error">
          {cert.lastError}
        </span>
      ) : null}
    </li>
  );
}

/** A server's own edge (Caddy): whether it runs, on which ports, and the way to enable or disable it. */
export function EdgeSection({ server, online }: { server: string; online: boolean }) {
  const client = useClient();
  const { ui, apps } = useStores();
  // Enabling or disabling changes where apps here are served, and the engine sends no app event for it.
  const refreshApps = () =>
    void apps
      .getState()
      .refresh()
      .catch(() => undefined);
  const [status, setStatus] = useState<ServerEdgeStatus | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [dialog, setDialog] = useState<'enable' | 'disable' | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await client.servers.edgeStatus({ name: server }));
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  }, [client, server]);

  useEffect(() => {
    if (online) void load();
  }, [online, load]);

  const enabled = status?.enabled === true;
  return (
    <section className="edge-section" aria-label={`Edge of ${server}`} data-testid="server-edge" data-enabled={enabled}>
      <header className="edge-section-header">
        <h3 className="section-title">Edge</h3>
        <span className={`badge tone-${enabled ? 'ok' : 'neutral'}`} data-testid="edge-state">
          {status === null ? 'Unknown' : enabled ? 'On' : 'Off'}
        </span>
        {status !== null ? (
          enabled ? (
            <button type="button" className="button button-small" onClick={() => setDialog('disable')}>
              Disable edge…
            </button>
          ) : (
            <button type="button" className="button button-small" onClick={() => setDialog('enable')}>
              Enable edge…
            </button>
          )
        ) : null}
      </header>
      {error ? (
        <p className="callout callout-error callout-compact" data-testid="edge-error">
          {error.message}
        </p>
      ) : null}
      {enabled ? (
        <EdgeFacts status={status} />
      ) : status ? (
        <p className="muted">Off: apps here answer only through Slipway's tunnel on this machine.</p>
      ) : null}
      {dialog === 'enable' ? (
        <EnableEdgeDialog
          server={server}
          onClose={() => setDialog(null)}
          onEnabled={(enabledStatus) => {
            setStatus(enabledStatus);
            setDialog(null);
            refreshApps();
            ui.getState().toast({ tone: 'ok', text: `${server}'s edge is on.` });
          }}
        />
      ) : null}
      {dialog === 'disable' && status ? (
        <DisableEdgeDialog
          status={status}
          onClose={() => setDialog(null)}
          onDisabled={(apps) => {
            setDialog(null);
            void load();
            refreshApps();
            ui.getState().toast({
              tone: 'info',
              text: `${server}'s edge is off.${apps.length > 0 ? ` No public URL any more: ${apps.join(', ')}.` : ''}`,
            });
          }}
        />
      ) : null}
    </section>
  );
}
