import { appsContract } from './domains/apps';
import { engineContract } from './domains/engine';
import { serversContract } from './domains/servers';
import { systemContract } from './domains/system';

/** Slipway's whole RPC contract: one map per domain. */
export const contract = {
  system: systemContract,
  apps: appsContract,
  servers: serversContract,
  engine: engineContract,
};

export type SlipwayContract = typeof contract;
