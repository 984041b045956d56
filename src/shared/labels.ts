/** The labels that mark what Slipway owns on a Docker engine; nothing without them is ever touched. */
export const LABELS = {
  managed: 'dev.slipway.managed',
  app: 'dev.slipway.app',
  component: 'dev.slipway.component',
  deployment: 'dev.slipway.deployment',
} as const;
