import type { AppSummary } from '../../shared/domains/apps';
import { useClient } from '../client';
import { plural } from '../lib/format';
import { useRequest } from '../lib/use-request';

const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

/**
 * For an app whose spec follows its file: whether the file differs from the live spec, read when
 * shown (the engine reads the file for each `apps.get`), so the user knows what the next deploy takes.
 */
export function SpecFileNote({ app }: { app: AppSummary }) {
  const client = useClient();
  const { data } = useRequest(
    () => client.apps.get({ app: app.name }),
    [client, app.name, app.updatedAt, app.liveDeployment?.id],
  );
  const file = data?.specFile;
  if (!file) return null;
  const name = baseName(file.path);
  if (file.error) {
    return (
      <p className="note note-error" data-testid="spec-file-note" title={file.path}>
        {name} cannot be deployed: {file.error}
      </p>
    );
  }
  return (
    <p className="note" data-testid="spec-file-note" title={file.path}>
      {file.changedFields === 0
        ? `${name} matches the live spec; deploys read it again.`
        : `${name} changed: ${plural(file.changedFields, 'field')}. The next deploy reads it.`}
    </p>
  );
}
