import { createContext, useContext } from 'react';
import type { LogLine } from '../../shared/deployment';
import { unwrap } from '../../shared/rpc/envelope';
import type { FollowBounded } from '../worker-transport';
import type { FollowLogs } from './log-session';

/** How the log view follows a log: bounded through the socket worker, or the plain contract stream. */
export const FollowLogsContext = createContext<FollowLogs | null>(null);

export function useFollowLogs(): FollowLogs {
  const follow = useContext(FollowLogsContext);
  if (!follow) throw new Error('useFollowLogs outside <FollowLogsContext.Provider>');
  return follow;
}

/** `apps.followLogs` through a worker that keeps only the latest `keep` lines waiting. */
export function boundedFollow(followBounded: FollowBounded): FollowLogs {
  return async (params, keep, onLines) =>
    unwrap(
      await followBounded('apps.followLogs', params, keep, (items, dropped) => onLines(items as LogLine[], dropped)),
    );
}
