import { useStores, useUi } from '../stores/context';
import { Icon } from './Icons';

/** Short news about actions, in a live region; each can be dismissed, and leaves by itself. */
export function Toasts() {
  const { ui } = useStores();
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toasts" role="region" aria-label="Notifications">
      <div aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`} data-testid="toast">
            <p>{toast.text}</p>
            {toast.action ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  ui.getState().navigate(toast.action!.route);
                  ui.getState().dismissToast(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            ) : null}
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss"
              onClick={() => ui.getState().dismissToast(toast.id)}
            >
              <Icon name="cross" />
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
