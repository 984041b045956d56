/** The labels that mark what Slipway owns on a Docker engine; nothing without them is ever touched. */
export const LABELS = {
  managed: 'dev.slipway.managed',
  app: 'dev.slipway.app',
  component: 'dev.slipway.component',
  deployment: 'dev.slipway.deployment',
  /** On an app's database container and its data volume: the database's name. Deployments never remove these. */
  database: 'dev.slipway.database',
  /** On a database's data volume: the engine and major version its data is written for. */
  databaseEngine: 'dev.slipway.database.engine',
  databaseMajor: 'dev.slipway.database.major',
  /** On a database's container: a digest of the settings it was made with (never of its password). */
  databaseConfig: 'dev.slipway.database.config',
  /** The installation (one id per data folder) that made it: two machines sharing a server never touch each other's. */
  owner: 'dev.slipway.owner',
} as const;
