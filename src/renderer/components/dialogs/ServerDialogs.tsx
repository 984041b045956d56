import type { ServerSummary } from '../../../shared/domains/servers';
import { useClient } from '../../client';
import { plural } from '../../lib/format';
import { useStores } from '../../stores/context';
import { Dialog } from '../Dialog';
import { sshAddress, useAppsOn } from '../ServerCard';
import { CloseButton, ErrorCallout, useAction } from './common';

/**
 * Asks before Slipway trusts a host key it has never seen: the user compares
 * the fingerprint with the server's own. Nothing but the SSH handshake has been
 * sent to the server so far.
 */
export function TrustServerDialog({ server, onClose }: { server: ServerSummary; onClose(): void }) {
  const client = useClient();
  const { servers, ui } = useStores();
  const { busy, error, run } = useAction();
  const fingerprint = server.status.presentedFingerprint;

  const trust = async () => {
    if (!fingerprint) return;
    const trusted = await run(() => client.servers.trust({ name: server.name, fingerprint }));
    if (!trusted) return;
    servers.getState().put(trusted);
    ui.getState().closeDialog();
    ui.getState().toast(
      trusted.status.state === 'online'
        ? { tone: 'ok', text: `${server.name} is trusted and online: Docker ${trusted.status.dockerVersion ?? ''}.` }
        : { tone: 'danger', text: `${server.name} is trusted but does not answer: ${trusted.status.reason ?? ''}` },
    );
  };

  return (
    <Dialog
      title={`Trust the host key of ${server.name}?`}
      lead={`${sshAddress(server)} presented a host key that Slipway has not seen before and that ~/.ssh/known_hosts does not list. Compare it with the server's own fingerprint before you trust it.`}
      onClose={onClose}
      testId="trust-server-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} label="Don't trust" autoFocus />
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !fingerprint}
            onClick={() => void trust()}
            data-testid="confirm"
          >
            {busy ? 'Connecting…' : 'Trust and connect'}
          </button>
        </>
      }
    >
      {fingerprint ? (
        <>
          <p className="fingerprint mono" data-testid="host-key-fingerprint">
            {fingerprint}
          </p>
          <p className="field-hint">
            On the server, <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> prints its fingerprint (or the
            file of its key type). If they differ, someone may be between you and the server: do not trust it.
          </p>
        </>
      ) : (
        <p className="note">
          {server.name} presents no key waiting for trust now ({server.status.state}). Test the connection to ask again.
        </p>
      )}
      <ErrorCallout error={error} />
    </Dialog>
  );
}

/** Forgets a server: its trusted key and sealed credentials go; nothing on the server is touched. */
export function RemoveServerDialog({ server, onClose }: { server: ServerSummary; onClose(): void }) {
  const client = useClient();
  const { servers, ui } = useStores();
  const { busy, error, run } = useAction();
  const apps = useAppsOn(server.name);

  const remove = async () => {
    const removed = await run(() => client.servers.remove({ name: server.name }));
    if (!removed) return;
    servers.getState().forget(server.name);
    ui.getState().closeDialog();
    ui.getState().toast({ tone: 'info', text: `${server.name} is removed from Slipway.` });
  };

  return (
    <Dialog
      title={`Remove ${server.name}?`}
      lead="Slipway forgets this server: its connection closes, and its trusted host key and stored credentials are deleted."
      tone="danger"
      onClose={onClose}
      testId="remove-server-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} label="Keep it" autoFocus />
          <button
            type="button"
            className="button button-danger"
            disabled={busy || apps > 0}
            onClick={() => void remove()}
            data-testid="confirm"
          >
            {busy ? 'Removing…' : 'Remove server'}
          </button>
        </>
      }
    >
      {apps > 0 ? (
        <p className="callout callout-warning callout-compact" data-testid="remove-blocked">
          {plural(apps, 'app')} still {apps === 1 ? 'targets' : 'target'} {server.name}. Delete{' '}
          {apps === 1 ? 'it' : 'them'} first.
        </p>
      ) : (
        <p className="note">
          Nothing on the server changes: no container, image or file is removed. Add it again at any time.
        </p>
      )}
      <ErrorCallout error={error} />
    </Dialog>
  );
}
