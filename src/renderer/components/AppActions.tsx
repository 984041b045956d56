import type { AppSummary } from '../../shared/domains/apps';
import { useStores } from '../stores/context';
import { Icon } from './Icons';
import { Menu, type MenuItem } from './Menu';

const BUILD_PHASES = ['PENDING_BUILD', 'BUILDING'];

/** The actions on an app, in the order App Platform lists them; each opens a dialog that says what it does. */
export function useAppActions(app: AppSummary): MenuItem[] {
  const { ui } = useStores();
  const { openDialog, navigate } = ui.getState();
  const live = app.liveDeployment !== null;
  const active = app.activeDeployment;
  const open = (kind: Parameters<typeof openDialog>[0] & { app: string }) => () => openDialog(kind);
  return [
    { id: 'deploy', label: 'Deploy…', onSelect: open({ kind: 'deploy', app: app.name }) },
    { id: 'rebuild', label: 'Force rebuild and deploy…', onSelect: open({ kind: 'rebuild', app: app.name }) },
    {
      id: 'restart',
      label: 'Restart…',
      onSelect: open({ kind: 'restart', app: app.name }),
      disabled: !live,
      hint: 'Nothing is live to restart.',
    },
    {
      id: 'rollback',
      label: 'Roll back…',
      onSelect: open({ kind: 'rollback', app: app.name }),
      disabled: !live,
      hint: 'A rollback needs a live deployment to go back from.',
    },
    {
      id: 'cancel',
      label: 'Cancel deployment…',
      separated: true,
      onSelect: open({ kind: 'cancel', app: app.name }),
      disabled: !active,
      hint: 'No deployment is in flight.',
    },
    {
      id: 'kill',
      label: 'Kill build…',
      tone: 'danger',
      onSelect: open({ kind: 'kill', app: app.name }),
      disabled: !active || !BUILD_PHASES.includes(active.phase),
      hint: 'No build is running.',
    },
    { id: 'queue', label: 'Deployment queue…', onSelect: open({ kind: 'queue', app: app.name }) },
    { id: 'clear', label: 'Clear old deployments…', onSelect: open({ kind: 'clear', app: app.name }) },
    {
      id: 'logs',
      label: 'View logs',
      separated: true,
      onSelect: () => navigate({ page: 'app', app: app.name, tab: 'logs' }),
    },
    {
      id: 'settings',
      label: 'App settings',
      onSelect: () => navigate({ page: 'app', app: app.name, tab: 'settings' }),
    },
    { id: 'delete', label: 'Delete app…', tone: 'danger', onSelect: open({ kind: 'delete', app: app.name }) },
  ];
}

export function AppActionsMenu({ app, compact }: { app: AppSummary; compact?: boolean }) {
  const items = useAppActions(app);
  return (
    <Menu
      label={`Actions for ${app.name}`}
      items={items}
      trigger={
        compact ? (
          <Icon name="more" />
        ) : (
          <>
            Actions <Icon name="down" />
          </>
        )
      }
      className={compact ? 'menu-compact' : undefined}
      quiet={compact}
      testId="app-actions"
    />
  );
}
