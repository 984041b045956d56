import { useState } from 'react';
import type { AppSummary } from '../../../shared/domains/apps';
import { useClient } from '../../client';
import { plural, displayId } from '../../lib/format';
import { Dialog } from '../Dialog';
import { CloseButton, ErrorCallout, useAction, useDeploymentQueued } from './common';
import { CheckOption } from '../CheckOption';

export function RestartDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const client = useClient();
  const restartable = app.components.filter((c) => c.kind !== 'job');
  const jobs = app.components.filter((c) => c.kind === 'job');
  const [mode, setMode] = useState<'all' | 'some'>('all');
  const [picked, setPicked] = useState<string[]>([]);
  const { busy, error, run } = useAction();
  const queued = useDeploymentQueued();
  const chosen = mode === 'all' ? restartable.map((c) => c.name) : picked;
  const live = app.liveDeployment;
  const kept = restartable.filter((c) => !chosen.includes(c.name)).map((c) => c.name);

  const confirm = async () => {
    const deployment = await run(() =>
      client.apps.restart({ app: app.name, ...(mode === 'some' ? { components: picked } : {}) }),
    );
    if (deployment) queued(deployment, { page: 'app', app: app.name, tab: 'activity', deployment: deployment.id });
  };

  const toggle = (name: string, on: boolean) =>
    setPicked((list) => (on ? [...list.filter((n) => n !== name), name] : list.filter((n) => n !== name)));

  return (
    <Dialog
      title={`Restart ${app.name}`}
      lead="Replaces running containers with fresh ones of the same image, one instance at a time. Nothing is built and the spec stays as it is."
      onClose={onClose}
      testId="restart-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} />
          <button
            type="button"
            className="button button-primary"
            disabled={busy || chosen.length === 0 || !live}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy
              ? 'Queuing…'
              : chosen.length === restartable.length
                ? 'Restart all'
                : `Restart ${chosen.join(', ') || '…'}`}
          </button>
        </>
      }
    >
      <fieldset className="fieldset">
        <legend>Components</legend>
        <label className="radio">
          <input type="radio" name="restart-mode" checked={mode === 'all'} onChange={() => setMode('all')} />
          <span>All services and workers ({restartable.map((c) => c.name).join(', ')})</span>
        </label>
        <label className="radio">
          <input
            type="radio"
            name="restart-mode"
            checked={mode === 'some'}
            onChange={() => setMode('some')}
            data-testid="restart-pick"
          />
          <span>Only the ones I pick</span>
        </label>
        {mode === 'some' ? (
          <div className="check-list">
            {restartable.map((c) => (
              <CheckOption
                key={c.name}
                checked={picked.includes(c.name)}
                onChange={(on) => toggle(c.name, on)}
                title={c.name}
              >
                {c.kind} · {plural(c.instanceCount, 'instance')}
              </CheckOption>
            ))}
          </div>
        ) : null}
        {jobs.length ? (
          <p className="muted small">
            Jobs ({jobs.map((j) => j.name).join(', ')}) run once per deployment and are not restarted.
          </p>
        ) : null}
      </fieldset>
      <h3 className="dialog-section">What happens</h3>
      <ol className="plan-list">
        {chosen.length ? (
          chosen.map((name) => {
            const c = app.components.find((x) => x.name === name)!;
            return (
              <li key={name}>
                <strong>{name}</strong>: each of its {plural(c.instanceCount, 'instance')} is replaced in turn; the new
                container must be healthy before the old one stops
                {c.kind === 'service' ? ', so it keeps answering' : ''}.
              </li>
            );
          })
        ) : (
          <li className="muted">Pick at least one component.</li>
        )}
        {kept.length ? (
          <li>
            {kept.join(', ')} {kept.length === 1 ? 'keeps its containers' : 'keep their containers'}.
          </li>
        ) : null}
        <li>
          The restart is recorded as a new deployment of the live images
          {live ? (
            <>
              {' '}
              (from <span className="mono">{displayId(live.id)}</span>)
            </>
          ) : null}
          .
        </li>
      </ol>
      {!live ? <p className="note">Nothing is live, so there is nothing to restart.</p> : null}
      <ErrorCallout error={error} />
    </Dialog>
  );
}
