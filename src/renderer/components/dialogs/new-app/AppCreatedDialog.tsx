import type { AppDetail } from '../../../../shared/domains/apps';
import type { ShownError } from '../../../lib/errors';
import { useStores } from '../../../stores/context';
import { Dialog } from '../../Dialog';
import { CloseButton, ErrorCallout } from '../common';
import { SpecProblems } from '../SpecProblems';

/**
 * The step after an app was created but not deployed: its spec's warnings to
 * read first, or the error that kept its first deployment from starting.
 */
export function AppCreatedDialog({
  app,
  busy,
  error,
  onDeploy,
  onClose,
}: {
  app: AppDetail;
  busy: boolean;
  error: ShownError | null;
  onDeploy(): void;
  onClose(): void;
}) {
  const { ui } = useStores();
  return (
    <Dialog
      title={`${app.name} is created`}
      lead={
        app.warnings.length
          ? 'The spec has fields Slipway cannot honour. Deploy anyway, or fix the spec first (App settings).'
          : 'The app is created, but its first deployment did not start.'
      }
      size="wide"
      onClose={onClose}
      testId="new-app-dialog"
      footer={
        <>
          <CloseButton
            label="Not now"
            onClick={() => {
              ui.getState().closeDialog();
              ui.getState().navigate({ page: 'app', app: app.name, tab: 'settings' });
            }}
          />
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={onDeploy}
            data-testid="confirm"
          >
            {busy ? 'Starting…' : app.warnings.length ? 'Deploy anyway' : 'Deploy'}
          </button>
        </>
      }
    >
      <SpecProblems severity="warning" problems={app.warnings} />
      <ErrorCallout error={error} />
    </Dialog>
  );
}
