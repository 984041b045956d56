import { useRef } from 'react';
import type { AppSummary } from '../../../shared/domains/apps';
import type { LogType } from '../../../shared/deployment';
import { Tabs } from '../../components/Tabs';
import { displayId, formatTime, PHASE_LABEL } from '../../lib/format';
import { LogTerminal } from '../../logs/LogTerminal';
import { isFinished } from '../../stores/apps-store';
import { useStores } from '../../stores/context';
import type { Route } from '../../stores/ui-store';
import { useDeployments } from './use-deployments';

const LOG_TABS: ReadonlyArray<{ id: LogType; title: string }> = [
  { id: 'build', title: 'Build' },
  { id: 'deploy', title: 'Deploy' },
  { id: 'run', title: 'Runtime' },
];

type AppRoute = Extract<Route, { page: 'app' }>;

const ALL = '';
const LATEST = '';

export function LogsTab({ app, route }: { app: AppSummary; route: AppRoute }) {
  const { ui } = useStores();
  const deployments = useDeployments(app.name);
  const type = route.logType ?? 'build';
  const component = route.component ?? ALL;
  const navigate = (changes: Partial<AppRoute>) =>
    ui.getState().navigate({ ...route, tab: 'logs', logType: type, ...changes });

  // Build and deploy logs belong to a deployment: the one picked, else the newest (followed as new ones start).
  const live = deployments.find((d) => d.phase === 'ACTIVE');
  const chosen =
    type === 'run' ? live : route.deployment ? deployments.find((d) => d.id === route.deployment) : deployments[0];
  const finished = chosen ? isFinished(chosen.phase) : false;
  // Whether to follow is decided when a deployment is picked; its end must not restart the view.
  const followRef = useRef<{ key: string; follow: boolean } | null>(null);
  const followKey = `${type}/${chosen?.id ?? ''}`;
  if (followRef.current?.key !== followKey) followRef.current = { key: followKey, follow: type === 'run' || !finished };
  const follow = followRef.current.follow;

  const componentNames = app.components.map((c) => c.name);
  const width = Math.max(1, ...componentNames.map((n) => n.length));
  const showComponent = component === ALL && (componentNames.length > 1 || type === 'run');

  const emptyText = !chosen
    ? type === 'run'
      ? 'Nothing is live, so nothing runs yet.'
      : 'No deployment yet: deploy the app to see its build.'
    : type === 'build'
      ? finished
        ? 'This deployment wrote no build output.'
        : 'Waiting for build output…'
      : type === 'deploy'
        ? finished
          ? 'This deployment wrote no deploy output.'
          : 'Waiting for deploy output…'
        : 'No runtime output yet.';

  return (
    <div className="logs-tab">
      <div className="logs-controls">
        <Tabs
          label="Log type"
          tabs={LOG_TABS}
          selected={type}
          idPrefix="logtype"
          variant="segmented"
          onSelect={(logType) => navigate({ logType })}
          testId="log-type"
        />
        <label className="field-inline">
          <span>Component</span>
          <select
            value={component}
            onChange={(event) => navigate({ component: event.target.value || undefined })}
            data-testid="log-component"
          >
            <option value={ALL}>All components</option>
            {componentNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {type === 'run' ? (
          <p className="logs-deployment muted">
            {live ? (
              <>
                Containers of the live deployment <span className="mono">{displayId(live.id)}</span>
              </>
            ) : (
              'Nothing is live.'
            )}
          </p>
        ) : (
          <label className="field-inline">
            <span>Deployment</span>
            <select
              value={route.deployment ?? LATEST}
              onChange={(event) => navigate({ deployment: event.target.value || undefined })}
              data-testid="log-deployment"
            >
              <option value={LATEST}>
                Latest
                {deployments[0] ? ` (${displayId(deployments[0].id)} · ${PHASE_LABEL[deployments[0].phase]})` : ''}
              </option>
              {deployments.map((d) => (
                <option key={d.id} value={d.id}>
                  {displayId(d.id)} · {d.cause} · {PHASE_LABEL[d.phase]} · {formatTime(d.createdAt)}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <LogTerminal
        source={{
          app: app.name,
          type,
          ...(component ? { component } : {}),
          ...(chosen && (type !== 'run' || chosen.id !== live?.id) ? { deployment: chosen.id } : {}),
        }}
        follow={follow}
        finished={type !== 'run' && finished}
        showComponent={showComponent}
        componentWidth={width}
        emptyText={emptyText}
      />
    </div>
  );
}
