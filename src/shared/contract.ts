import { appsContract } from './domains/apps';
import { systemContract } from './domains/system';

/** Slipway's whole RPC contract: one map per domain. */
export const contract = {
  system: systemContract,
  apps: appsContract,
};

export type SlipwayContract = typeof contract;
