import { useEffect, useMemo, useState } from 'react';
import type { ServerAuthInput, SshConfigSuggestion } from '../../../shared/domains/servers';
import { useClient } from '../../client';
import { useServers, useStores } from '../../stores/context';
import { sortedServers } from '../../stores/servers-store';
import { Dialog } from '../Dialog';
import { CloseButton, ErrorCallout, useAction } from './common';

type AuthType = ServerAuthInput['type'];

const SERVER_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const DEFAULT_SOCKET = '/var/run/docker.sock';

/** A ~/.ssh/config alias as a server name: `Prod.EU_1` becomes `prod-eu-1`. */
export function serverNameFor(alias: string): string {
  const name = alias
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 32);
  return SERVER_NAME.test(name) ? name : '';
}

function Suggestions({
  hosts,
  chosen,
  onChoose,
}: {
  hosts: SshConfigSuggestion[];
  chosen: string | null;
  onChoose(host: SshConfigSuggestion): void;
}) {
  if (hosts.length === 0) return null;
  return (
    <div className="field">
      <span id="ssh-config-hosts">From ~/.ssh/config</span>
      <ul className="suggestions" aria-labelledby="ssh-config-hosts" data-testid="ssh-suggestions">
        {hosts.map((host) => (
          <li key={host.alias}>
            <button
              type="button"
              className="suggestion"
              aria-pressed={chosen === host.alias}
              onClick={() => onChoose(host)}
              data-testid="ssh-suggestion"
            >
              <strong className="mono">{host.alias}</strong>
              <span className="suggestion-detail mono">
                {host.user ? `${host.user}@` : ''}
                {host.hostName}
                {host.port !== 22 ? `:${host.port}` : ''}
                {host.proxyJump.length ? ` via ${host.proxyJump.join(', ')}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <span className="field-hint">Picking one fills in its host; its HostName, User, Port and ProxyJump apply.</span>
    </div>
  );
}

/**
 * Adds a server reached over SSH. A host key that neither Slipway nor
 * ~/.ssh/known_hosts knows is never trusted silently: the trust dialog follows.
 */
export function AddServerDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const { servers, ui } = useStores();
  const known = useServers((s) => s.servers);
  const jumpHosts = useMemo(() => sortedServers(known).filter((s) => s.kind === 'ssh'), [known]);
  const [hosts, setHosts] = useState<SshConfigSuggestion[]>([]);
  const [chosen, setChosen] = useState<SshConfigSuggestion | null>(null);
  const [name, setName] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [user, setUser] = useState('');
  const [authType, setAuthType] = useState<AuthType>('agent');
  const [keyPath, setKeyPath] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [password, setPassword] = useState('');
  const [jump, setJump] = useState('');
  const [dockerSocket, setDockerSocket] = useState(DEFAULT_SOCKET);
  const { busy, error, run } = useAction();

  useEffect(() => {
    let current = true;
    // Suggestions are a convenience: without them (no ~/.ssh/config) the form is the same.
    client.servers.sshConfigHosts({}).then(
      (list) => current && setHosts(list),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client]);

  const choose = (suggestion: SshConfigSuggestion) => {
    setChosen(suggestion);
    setName(serverNameFor(suggestion.alias));
    setHost(suggestion.alias);
    setPort('');
    setUser('');
    if (suggestion.identityFile) {
      setAuthType('key');
      setKeyPath(suggestion.identityFile);
    } else {
      setAuthType('agent');
    }
  };

  const nameProblem = name && !SERVER_NAME.test(name) ? 'up to 32 lowercase letters, digits or dashes' : null;
  const portNumber = port.trim() ? Number(port) : undefined;
  const portProblem =
    portNumber !== undefined && !(Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535)
      ? 'a port from 1 to 65535'
      : null;
  const authReady = authType === 'agent' || (authType === 'key' ? keyPath.trim() : password);
  const ready = SERVER_NAME.test(name) && host.trim() && !portProblem && authReady;

  const auth = (): ServerAuthInput =>
    authType === 'key'
      ? { type: 'key', keyPath: keyPath.trim(), ...(passphrase ? { passphrase } : {}) }
      : authType === 'password'
        ? { type: 'password', password }
        : { type: 'agent' };

  const add = async () => {
    const added = await run(() =>
      client.servers.add({
        name,
        host: host.trim(),
        ...(portNumber !== undefined ? { port: portNumber } : {}),
        ...(user.trim() ? { user: user.trim() } : {}),
        auth: auth(),
        ...(jump ? { jump } : {}),
        dockerSocket: dockerSocket.trim() || DEFAULT_SOCKET,
      }),
    );
    if (!added) return;
    servers.getState().put(added);
    if (added.status.state === 'untrusted') {
      ui.getState().openDialog({ kind: 'trust-server', server: added.name });
      return;
    }
    ui.getState().closeDialog();
    ui.getState().toast(
      added.status.state === 'online'
        ? { tone: 'ok', text: `${added.name} is added: Docker ${added.status.dockerVersion ?? ''}.` }
        : { tone: 'danger', text: `${added.name} is added but does not answer: ${added.status.reason ?? 'offline'}` },
    );
  };

  return (
    <Dialog
      title="Add a server"
      lead="A machine you reach with SSH that runs Docker. Slipway keeps one SSH connection to it and touches only the containers it labels."
      size="wide"
      onClose={onClose}
      testId="add-server-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} />
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !ready}
            onClick={() => void add()}
            data-testid="confirm"
          >
            {busy ? 'Connecting…' : 'Add and connect'}
          </button>
        </>
      }
    >
      <div className="newapp-panel">
        <Suggestions hosts={hosts} chosen={chosen?.alias ?? null} onChoose={choose} />
        <div className="field-row">
          <label className="field">
            <span>Host</span>
            <input
              value={host}
              onChange={(event) => {
                setHost(event.target.value);
                setChosen(null);
              }}
              placeholder="203.0.113.7, build.example.com or a ~/.ssh/config alias"
              spellCheck={false}
              autoComplete="off"
              data-testid="server-host"
              data-autofocus=""
            />
          </label>
          <label className="field">
            <span>Port</span>
            <input
              value={port}
              onChange={(event) => setPort(event.target.value)}
              inputMode="numeric"
              placeholder={String(chosen?.port ?? 22)}
              aria-invalid={portProblem ? true : undefined}
              aria-describedby={portProblem ? 'server-port-problem' : undefined}
              data-testid="server-port"
            />
            {portProblem ? (
              <span className="field-hint field-error" id="server-port-problem">
                Must be {portProblem}.
              </span>
            ) : null}
          </label>
          <label className="field">
            <span>User</span>
            <input
              value={user}
              onChange={(event) => setUser(event.target.value)}
              placeholder={chosen?.user ?? 'root'}
              spellCheck={false}
              autoComplete="off"
              data-testid="server-user"
            />
          </label>
        </div>
        <label className="field">
          <span>Name in Slipway</span>
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="staging"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={nameProblem ? true : undefined}
            aria-describedby="server-name-hint"
            data-testid="server-name"
          />
          <span className={`field-hint ${nameProblem ? 'field-error' : ''}`} id="server-name-hint">
            {nameProblem ? `Must be ${nameProblem}, starting with a letter.` : 'How apps name this server as target.'}
          </span>
        </label>
        <label className="field">
          <span>Sign in with</span>
          <select
            value={authType}
            onChange={(event) => setAuthType(event.target.value as AuthType)}
            data-testid="server-auth"
          >
            <option value="agent">ssh-agent (the keys your agent holds)</option>
            <option value="key">A private key file</option>
            <option value="password">A password</option>
          </select>
        </label>
        {authType === 'key' ? (
          <div className="field-row field-row-even">
            <label className="field">
              <span>Private key file</span>
              <input
                value={keyPath}
                onChange={(event) => setKeyPath(event.target.value)}
                placeholder="~/.ssh/id_ed25519"
                spellCheck={false}
                autoComplete="off"
                data-testid="server-key-path"
              />
            </label>
            <label className="field">
              <span>Passphrase (if the key has one)</span>
              <input
                type="password"
                value={passphrase}
                onChange={(event) => setPassphrase(event.target.value)}
                autoComplete="off"
                data-testid="server-passphrase"
              />
            </label>
          </div>
        ) : null}
        {authType === 'password' ? (
          <label className="field">
            <span>Password</span>
            <input
              type="password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              autoComplete="off"
              data-testid="server-password"
            />
            <span className="field-hint">Stored encrypted; it is never shown again. A key is safer.</span>
          </label>
        ) : null}
        <details className="advanced">
          <summary>Advanced</summary>
          <div className="newapp-panel">
            <label className="field">
              <span>Jump through</span>
              <select value={jump} onChange={(event) => setJump(event.target.value)} data-testid="server-jump">
                <option value="">No jump host{chosen?.proxyJump.length ? ' (or its ProxyJump)' : ''}</option>
                {jumpHosts.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                  </option>
                ))}
              </select>
              <span className="field-hint">A server added before, used as ProxyJump; its host key is checked too.</span>
            </label>
            <label className="field">
              <span>Docker socket on the server</span>
              <input
                value={dockerSocket}
                onChange={(event) => setDockerSocket(event.target.value)}
                spellCheck={false}
                autoComplete="off"
                data-testid="server-docker-socket"
              />
            </label>
          </div>
        </details>
      </div>
      <ErrorCallout error={error} />
    </Dialog>
  );
}
