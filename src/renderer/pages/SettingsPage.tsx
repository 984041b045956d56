import { useState } from 'react';
import { PageHeader } from '../components/PageHeader';
import { useStorage } from '../lib/use-storage';
import {
  askNotificationPermission,
  notificationPermission,
  notificationsWanted,
  setNotificationsWanted,
} from '../stores/notifications';
import { CheckOption } from '../components/CheckOption';

const PERMISSION_TEXT: Record<ReturnType<typeof notificationPermission>, string> = {
  granted: 'Your system lets Slipway show notifications.',
  default: 'Your system has not been asked yet: Slipway asks the first time you deploy, or now.',
  denied: "Your system's settings block Slipway's notifications; Slipway does not ask again. Allow them there.",
  unsupported: 'This window cannot show system notifications.',
};

function NotificationSettings() {
  const [wanted, setWanted] = useState(notificationsWanted);
  const [permission, setPermission] = useState(notificationPermission);
  const toggle = (on: boolean) => {
    setNotificationsWanted(on);
    setWanted(on);
  };
  const ask = async () => {
    await askNotificationPermission();
    setPermission(notificationPermission());
  };
  return (
    <section className="panel" aria-labelledby="settings-notifications">
      <header className="panel-header">
        <h2 id="settings-notifications">Notifications</h2>
      </header>
      <CheckOption
        checked={wanted}
        onChange={toggle}
        title="Tell me when a deployment goes live or fails"
        testId="notifications-wanted"
      >
        Only while Slipway&apos;s window is in the background; in front, the window shows it.
      </CheckOption>
      <p className="muted settings-note" data-testid="notification-permission" data-permission={permission}>
        {PERMISSION_TEXT[permission]}
      </p>
      {permission === 'default' && wanted ? (
        <div className="button-row settings-actions">
          <button type="button" className="button" onClick={() => void ask()}>
            Allow notifications
          </button>
        </div>
      ) : null}
    </section>
  );
}

function StorageSettings() {
  const { data: storage, error } = useStorage();
  return (
    <section className="panel" aria-labelledby="settings-storage">
      <header className="panel-header">
        <div>
          <h2 id="settings-storage">Storage</h2>
          <p className="panel-sub muted">
            What Slipway knows stays on this machine, readable by your user only. Set <code>SLIPWAY_HOME</code> to keep
            it elsewhere.
          </p>
        </div>
      </header>
      {error ? (
        <p className="settings-error" role="alert">
          {error.message}
        </p>
      ) : storage ? (
        <dl className="facts facts-plain settings-facts" data-testid="storage">
          <div>
            <dt>Apps, servers and deployments</dt>
            <dd className="mono" data-testid="storage-data">
              {storage.dataDir}
            </dd>
          </div>
          <div>
            <dt>Build and deploy logs, a file per deployment</dt>
            <dd className="mono" data-testid="storage-logs">
              {storage.logsDir}
            </dd>
          </div>
          <div>
            <dt>Slipway&apos;s own log of unexpected errors, secrets hidden</dt>
            <dd className="mono" data-testid="storage-engine-log">
              {storage.engineLog}
            </dd>
          </div>
          <div>
            <dt>Key that seals secret values</dt>
            <dd className="mono" data-testid="storage-key">
              {storage.keyFile ?? "your system's keychain"}
            </dd>
          </div>
          <div>
            <dt>Kept for rollback</dt>
            <dd data-testid="storage-retention">
              Images of each app&apos;s {storage.retainedDeployments} most recent successful deployments
            </dd>
          </div>
        </dl>
      ) : (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      )}
    </section>
  );
}

/** Slipway's own settings: what the window does, and where the engine keeps its state. */
export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" />
      <div className="page-body">
        <NotificationSettings />
        <section className="panel" aria-labelledby="settings-appearance">
          <header className="panel-header">
            <h2 id="settings-appearance">Appearance</h2>
          </header>
          <p className="muted">Slipway follows your system&apos;s light or dark theme, and changes with it.</p>
        </section>
        <StorageSettings />
      </div>
    </>
  );
}
