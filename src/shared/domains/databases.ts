import { z } from 'zod';
import { method, returns } from '../rpc/contract';
import type { DatabaseEngine } from '../spec/database-spec';
import { appNameField, databaseNameField } from './name-fields';

/**
 * `healthy`: it accepts logins; `starting`: its health check has not passed yet; `unhealthy`: it failed;
 * `stopped`: its container is not running; `missing`: not created yet (the app was never deployed with it);
 * `unreachable`: the Docker engine it runs on does not answer.
 */
export type DatabaseHealth = 'healthy' | 'starting' | 'unhealthy' | 'stopped' | 'missing' | 'unreachable';

/** One of an app's databases as screens show it: never its password. */
export interface DatabaseSummary {
  name: string;
  engine: DatabaseEngine;
  version: string;
  image: string;
  health: DatabaseHealth;
  /** The volume its data lives on, and its size in bytes when Docker can tell (null otherwise). */
  volume: string;
  volumeBytes: number | null;
}

/** How the app's components reach a database, with its password: shown only when asked for. */
export interface DatabaseCredentials {
  name: string;
  engine: DatabaseEngine;
  /** The host name on the app's network; nothing is published on the machine. */
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  url: string;
}

/** An app's databases: what runs, and its credentials on explicit request. */
export const databasesContract = {
  /** The app's databases (from its current spec) with their health and volume. */
  list: method(z.object({ app: appNameField }).strict(), returns<DatabaseSummary[]>()),
  /** One database's credentials, password included: for a user who asked to see them. */
  credentials: method(z.object({ app: appNameField, db: databaseNameField }).strict(), returns<DatabaseCredentials>()),
};
