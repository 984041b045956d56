import { useState } from 'react';
import type { DatabaseCredentials } from '../../shared/domains/databases';
import { useClient } from '../client';
import { Dialog } from '../components/Dialog';
import { CloseButton, ErrorCallout, useAction } from '../components/dialogs/common';

const MASK = '••••••••••••';

/**
 * A database's credentials, asked for in two steps: the dialog says the password will be shown, and only once the
 * user confirms are the credentials fetched and shown. Nothing of them is logged or kept after it closes.
 */
export function CredentialsDialog({ app, db, onClose }: { app: string; db: string; onClose(): void }) {
  const client = useClient();
  const [credentials, setCredentials] = useState<DatabaseCredentials | null>(null);
  const { busy, error, run } = useAction();

  const reveal = async () => {
    const answer = await run(() => client.databases.credentials({ app, db }));
    if (answer) setCredentials(answer);
  };

  const rows: Array<[string, string, string]> = credentials
    ? [
        ['Host', `${credentials.host} (on the app's network)`, 'host'],
        ['Port', String(credentials.port), 'port'],
        ['User', credentials.username, 'username'],
        ['Password', credentials.password, 'password'],
        ['Database', credentials.database, 'database'],
        ['URL', credentials.url, 'url'],
      ]
    : [['Password', MASK, 'password']];

  return (
    <Dialog
      title={`Credentials of ${db}`}
      lead={
        credentials
          ? 'Anyone who sees this screen can log in to the database: close it when you are done.'
          : 'Shows the user, the password and the URL the app connects with. Make sure nobody else sees your screen.'
      }
      onClose={onClose}
      testId="db-credentials-dialog"
      footer={
        credentials ? (
          <CloseButton onClick={onClose} label="Done" autoFocus />
        ) : (
          <>
            <CloseButton onClick={onClose} />
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => void reveal()}
              data-testid="confirm"
            >
              {busy ? 'Loading…' : 'Show the password'}
            </button>
          </>
        )
      }
    >
      <dl className="facts facts-plain" data-testid="db-credentials">
        {rows.map(([label, value, key]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd className="mono" data-testid={`db-credential-${key}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <ErrorCallout error={error} />
    </Dialog>
  );
}
