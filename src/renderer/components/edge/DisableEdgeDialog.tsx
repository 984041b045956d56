import type { ServerEdgeStatus } from '../../../shared/domains/servers';
import { useClient } from '../../client';
import { Dialog } from '../Dialog';
import { CloseButton, ErrorCallout, useAction } from '../dialogs/common';

/** The apps whose domains the edge routes: they lose their public URL when it goes. */
export function appsServed(status: ServerEdgeStatus): string[] {
  return [...new Set(status.routes.map((r) => r.app))].sort();
}

/** Asks before the edge goes, naming the apps that lose their public URL. */
export function DisableEdgeDialog({
  status,
  onDisabled,
  onClose,
}: {
  status: ServerEdgeStatus;
  onDisabled(appsLosingUrl: string[]): void;
  onClose(): void;
}) {
  const client = useClient();
  const { busy, error, run } = useAction();
  const apps = appsServed(status);

  const disable = async () => {
    const answer = await run(() => client.servers.edgeDisable({ name: status.server }));
    if (answer) onDisabled(answer.appsLosingUrl);
  };

  return (
    <Dialog
      title={`Disable the edge on ${status.server}?`}
      lead="Slipway removes the edge's container, network and volumes; the apps keep running and their tunnel URLs stay."
      tone="danger"
      onClose={onClose}
      testId="disable-edge-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} label="Keep it" autoFocus />
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => void disable()}
            data-testid="confirm"
          >
            {busy ? 'Disabling…' : 'Disable edge'}
          </button>
        </>
      }
    >
      {apps.length > 0 ? (
        <div className="callout callout-warning callout-compact" data-testid="edge-apps-losing-url">
          These apps lose their public URL: {apps.join(', ')}.
        </div>
      ) : (
        <p className="note">No app is served on its domains here now.</p>
      )}
      <ErrorCallout error={error} />
    </Dialog>
  );
}
