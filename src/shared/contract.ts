import { appsContract } from './domains/apps';
import { databasesContract } from './domains/databases';
import { dbShellContract } from './domains/db-shell';
import { engineContract } from './domains/engine';
import { serversContract } from './domains/servers';
import { systemContract } from './domains/system';

/** Slipway's whole RPC contract: one map per domain. */
export const contract = {
  system: systemContract,
  apps: appsContract,
  databases: databasesContract,
  dbShell: dbShellContract,
  servers: serversContract,
  engine: engineContract,
};

export type SlipwayContract = typeof contract;
