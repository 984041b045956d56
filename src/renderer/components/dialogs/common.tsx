import { useState } from 'react';
import type { Deployment } from '../../../shared/deployment';
import { describeError, type ShownError } from '../../lib/errors';
import { displayId } from '../../lib/format';
import { askNotificationPermission } from '../../stores/notifications';
import { useStores } from '../../stores/context';
import type { Route } from '../../stores/ui-store';

/** Runs a dialog's action once: busy meanwhile, the error kept to show in the dialog. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError(describeError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function ErrorCallout({ error }: { error: ShownError | null }) {
  if (!error) return null;
  return (
    <div className="callout callout-error" role="alert" data-testid="dialog-error">
      <p className="callout-title">{error.message}</p>
      {error.issues?.length ? (
        <ul className="issue-list">
          {error.issues.map((issue, i) => (
            <li key={i}>
              {issue.path ? <code>{issue.path}</code> : null} {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="callout-meta">
        <code>{error.code}</code>
      </p>
    </div>
  );
}

/**
 * After an action queued a deployment: the store learns of it at once, and the
 * user is shown where it can be watched (the detail page goes there itself).
 */
export function useDeploymentQueued() {
  const { apps, ui } = useStores();
  return (deployment: Deployment, where: Route) => {
    apps.getState().putDeployment(deployment);
    void askNotificationPermission();
    const route = ui.getState().route;
    ui.getState().closeDialog();
    if (route.page === 'app' && route.app === deployment.app) {
      ui.getState().navigate(where);
    } else {
      ui.getState().toast({
        tone: 'info',
        text: `${deployment.app}: deployment ${displayId(deployment.id)} (${deployment.cause}) queued.`,
        action: { label: 'Watch it', route: where },
      });
    }
  };
}

export function CloseButton({
  onClick,
  autoFocus,
  label = 'Cancel',
}: {
  onClick(): void;
  autoFocus?: boolean;
  label?: string;
}) {
  return (
    <button type="button" className="button" onClick={onClick} data-autofocus={autoFocus ? '' : undefined}>
      {label}
    </button>
  );
}
