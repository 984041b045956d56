/** The labels that mark what Slipway owns on a Docker engine; nothing without them is ever touched. */
export const LABELS = {
  managed: 'dev.slipway.managed',
  app: 'dev.slipway.app',
  component: 'dev.slipway.component',
  deployment: 'dev.slipway.deployment',
  /** The installation (one id per data folder) that made it: two machines sharing a server never touch each other's. */
  owner: 'dev.slipway.owner',
} as const;
