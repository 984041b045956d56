import type { AppSummary } from '../../shared/domains/apps';
import { displayId } from '../lib/format';
import { useStores } from '../stores/context';
import { Icon } from './Icons';

/**
 * An app pinned to a rollback (after DigitalOcean): which one, and the buttons that settle it.
 * Commit keeps the rolled-back version; Revert goes back to what was live before. Each asks first.
 */
export function PinnedRollback({ app, compact = false }: { app: AppSummary; compact?: boolean }) {
  const { ui } = useStores();
  const pin = app.pinned;
  if (!pin) return null;
  const open = (kind: 'commit-rollback' | 'revert-rollback') => ui.getState().openDialog({ kind, app: app.name });
  return (
    <div className={`pin-note ${compact ? 'pin-note-compact' : ''}`} data-testid="rollback-pin" role="status">
      <p className="pin-title">
        <Icon name="lock" />
        <span>
          Pinned to rollback <span className="mono">{displayId(pin.deployment)}</span>
        </span>
      </p>
      {compact ? null : (
        <p className="pin-body">
          It runs the images and spec of <span className="mono">{displayId(pin.target)}</span>. Deploys are refused
          until you commit it (keep this version) or revert it
          {pin.previous ? (
            <>
              {' '}
              (back to <span className="mono">{displayId(pin.previous)}</span>)
            </>
          ) : null}
          .
        </p>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button button-small"
          onClick={() => open('commit-rollback')}
          data-testid="pin-commit"
        >
          Commit…
        </button>
        <button
          type="button"
          className="button button-small"
          disabled={!pin.previous}
          onClick={() => open('revert-rollback')}
          data-testid="pin-revert"
        >
          Revert…
        </button>
      </div>
    </div>
  );
}
