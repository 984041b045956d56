import { useState } from 'react';
import type { AppSummary } from '../../../shared/domains/apps';
import { useClient } from '../../client';
import { useRequest } from '../../lib/use-request';
import { useStores } from '../../stores/context';
import { CheckOption } from '../CheckOption';
import { Dialog } from '../Dialog';
import { CloseButton, ErrorCallout, useAction } from './common';

/** Deleting an app, typed to confirm; names the data volumes its databases keep, or delete when asked. */
export function DeleteAppDialog({ app, onClose }: { app: AppSummary; onClose(): void }) {
  const client = useClient();
  const { ui } = useStores();
  const [typed, setTyped] = useState('');
  const [deleteData, setDeleteData] = useState(false);
  const { busy, error, run } = useAction();
  const volumes = useRequest(() => client.databases.list({ app: app.name }), [client, app.name]).data?.map(
    (d) => d.volume,
  );
  const hasData = (volumes?.length ?? 0) > 0;

  const confirm = async () => {
    const result = await run(() =>
      client.apps.delete({ app: app.name, ...(hasData && deleteData ? { deleteData } : {}) }),
    );
    if (!result) return;
    ui.getState().closeDialog();
    ui.getState().navigate({ page: 'apps' });
    const { kept, removed } = result.volumes;
    const data = removed.length
      ? ` Deleted its data: ${removed.join(', ')}.`
      : kept.length
        ? ` Kept its data on ${kept.join(', ')}.`
        : '';
    ui.getState().toast({ tone: 'ok', text: `Deleted ${result.deleted}.${data}` });
  };

  return (
    <Dialog
      title={`Delete ${app.name}`}
      tone="danger"
      lead="Deletes the app from this machine. This cannot be undone."
      onClose={onClose}
      testId="delete-dialog"
      footer={
        <>
          <CloseButton onClick={onClose} />
          <button
            type="button"
            className="button button-danger"
            disabled={busy || typed !== app.name}
            onClick={() => void confirm()}
            data-testid="confirm"
          >
            {busy ? 'Deleting…' : 'Delete app'}
          </button>
        </>
      }
    >
      <ol className="plan-list">
        <li>Any deployment in flight is canceled and waiting ones are dropped.</li>
        <li>Its containers, images and network are removed (only those labelled as this app&apos;s).</li>
        <li>Its URL stops answering; its deployment history and logs are deleted.</li>
        <li>Your source folder and spec file are not touched.</li>
        {hasData ? (
          <li data-testid="delete-volumes">
            {deleteData ? 'Its data is deleted: ' : 'Its data is kept, on '}
            {volumes!.map((v, i) => (
              <span key={v}>
                {i > 0 ? ', ' : ''}
                <code>{v}</code>
              </span>
            ))}
            {deleteData ? ' (cannot be undone).' : ': an app of the same name created again finds it.'}
          </li>
        ) : null}
      </ol>
      {hasData ? (
        <CheckOption
          checked={deleteData}
          onChange={setDeleteData}
          title={`Also delete the data (volumes ${volumes!.join(', ')})`}
          testId="delete-data"
        >
          Every database of the app loses its data for good.
        </CheckOption>
      ) : null}
      <label className="field">
        <span>
          Type <strong className="mono">{app.name}</strong> to confirm
        </span>
        <input
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          data-testid="delete-confirm-name"
        />
      </label>
      <ErrorCallout error={error} />
    </Dialog>
  );
}
