import { createContext, useContext } from 'react';
import type { SlipwayContract } from '../shared/contract';
import type { Client } from '../shared/rpc/client';

/** The contract client the whole UI talks through, whatever carries it. */
export type SlipwayClient = Client<SlipwayContract>;
export type AppsClient = Pick<SlipwayClient, 'apps'>;
export type ServersClient = Pick<SlipwayClient, 'servers'>;

export const ClientContext = createContext<SlipwayClient | null>(null);

export function useClient(): SlipwayClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside <ClientContext.Provider>');
  return client;
}
