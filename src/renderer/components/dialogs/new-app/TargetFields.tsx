import { useMemo } from 'react';
import type { ServerSummary } from '../../../../shared/domains/servers';
import { useServers } from '../../../stores/context';
import { sortedServers } from '../../../stores/servers-store';
import { sshAddress } from '../../ServerCard';

export type BuildMode = 'server' | 'local';

const SERVER_STATE: Record<ServerSummary['status']['state'], string> = {
  online: 'online',
  offline: 'offline',
  untrusted: 'host key not trusted',
};

/** Where the app runs: this machine or a server, and for a server where it is built. */
export function TargetFields({
  server,
  onServer,
  buildMode,
  onBuildMode,
}: {
  server: string;
  onServer(server: string): void;
  buildMode: BuildMode;
  onBuildMode(mode: BuildMode): void;
}) {
  const servers = useServers((s) => s.servers);
  const remote = useMemo(() => sortedServers(servers).filter((s) => s.kind === 'ssh'), [servers]);
  const chosen = servers[server];
  return (
    <div className={server === 'local' ? '' : 'field-row field-row-even'}>
      <label className="field">
        <span>Server</span>
        <select value={server} onChange={(event) => onServer(event.target.value)} data-testid="new-app-server">
          <option value="local">This machine (local Docker engine)</option>
          {remote.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}: {sshAddress(s)} ({SERVER_STATE[s.status.state]})
            </option>
          ))}
        </select>
        <span className="field-hint">
          {chosen && chosen.kind === 'ssh' && chosen.status.state !== 'online'
            ? `${chosen.name} is ${SERVER_STATE[chosen.status.state]} now: the app is created, its deployment waits for the server.`
            : remote.length === 0
              ? 'Servers added on the Servers page are offered here.'
              : 'Apps on a server answer on its loopback; Slipway tunnels their URL here.'}
        </span>
      </label>
      {server === 'local' ? null : (
        <label className="field">
          <span>Build</span>
          <select
            value={buildMode}
            onChange={(event) => onBuildMode(event.target.value as BuildMode)}
            data-testid="new-app-build-mode"
          >
            <option value="server">On the server</option>
            <option value="local">On this machine, then ship the image</option>
          </select>
          <span className="field-hint">Shipping needs no registry: the image goes over the SSH connection.</span>
        </label>
      )}
    </div>
  );
}
