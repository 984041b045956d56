import { useEffect } from 'react';
import { useApps, useServers, useStores, useUi } from '../stores/context';
import { AddServerDialog } from './dialogs/AddServerDialog';
import { DeployDialog } from './dialogs/DeployDialog';
import { NewAppDialog } from './dialogs/NewAppDialog';
import { DeleteAppDialog } from './dialogs/DeleteAppDialog';
import { CancelDialog, ClearDeploymentsDialog, KillBuildDialog, QueueDialog } from './dialogs/OperationDialogs';
import { CommitRollbackDialog, RevertRollbackDialog } from './dialogs/RollbackPinDialogs';
import { RestartDialog } from './dialogs/RestartDialog';
import { RollbackDialog } from './dialogs/RollbackDialog';
import { RemoveServerDialog, TrustServerDialog } from './dialogs/ServerDialogs';

/** Shows the one dialog that is open, for the app or server it is about. */
export function DialogHost() {
  const { ui, apps } = useStores();
  const dialog = useUi((s) => s.dialog);
  const appName = dialog && 'app' in dialog ? dialog.app : null;
  const app = useApps((s) => (appName ? s.apps[appName] : undefined));
  const serverName = dialog && 'server' in dialog ? dialog.server : null;
  const server = useServers((s) => (serverName ? s.servers[serverName] : undefined));
  const close = () => ui.getState().closeDialog();

  // Dialogs say what will happen from the app's spec and history: fetched if this window has not yet.
  useEffect(() => {
    if (!appName) return;
    const state = apps.getState();
    if (!state.details[appName]) void state.loadDetail(appName).catch(() => undefined);
    if (!state.historyLoaded[appName]) void state.loadHistory(appName).catch(() => undefined);
  }, [apps, appName]);

  if (!dialog) return null;
  if (dialog.kind === 'new-app') return <NewAppDialog onClose={close} />;
  if (dialog.kind === 'add-server') return <AddServerDialog onClose={close} />;
  if ('server' in dialog) {
    // The server went away (removed elsewhere) while its dialog was open.
    if (!server) return null;
    return dialog.kind === 'trust-server' ? (
      <TrustServerDialog server={server} onClose={close} />
    ) : (
      <RemoveServerDialog server={server} onClose={close} />
    );
  }
  // The app went away (deleted elsewhere) while its dialog was open.
  if (!app) return null;
  switch (dialog.kind) {
    case 'deploy':
      return <DeployDialog key="deploy" app={app} rebuild={false} onClose={close} />;
    case 'rebuild':
      return <DeployDialog key="rebuild" app={app} rebuild onClose={close} />;
    case 'restart':
      return <RestartDialog app={app} onClose={close} />;
    case 'rollback':
      return <RollbackDialog app={app} initial={dialog.deployment} onClose={close} />;
    case 'commit-rollback':
      return <CommitRollbackDialog app={app} onClose={close} />;
    case 'revert-rollback':
      return <RevertRollbackDialog app={app} onClose={close} />;
    case 'cancel':
      return <CancelDialog app={app} onClose={close} />;
    case 'kill':
      return <KillBuildDialog app={app} onClose={close} />;
    case 'queue':
      return <QueueDialog app={app} onClose={close} />;
    case 'clear':
      return <ClearDeploymentsDialog app={app} onClose={close} />;
    case 'delete':
      return <DeleteAppDialog app={app} onClose={close} />;
  }
}
