import type { StorageInfo } from '../../shared/domains/system';
import { useClient } from '../client';
import type { ShownError } from './errors';
import { useRequest } from './use-request';

/**
 * The engine's `system.storage`, asked when the view opens: where it keeps its
 * state, and how many successful deployments per app keep their images for rollback.
 */
export function useStorage(): { data: StorageInfo | null; error: ShownError | null } {
  const client = useClient();
  return useRequest(() => client.system.storage({}), [client]);
}
