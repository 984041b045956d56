/**
 * What global setup hands to the tests. Environment variables carry it because
 * Playwright starts its workers after global setup, with a copy of its environment.
 */
export const E2E_ENV = {
  /** The page with its token: `http://127.0.0.1:PORT/#token=...`. */
  url: 'SLIPWAY_E2E_URL',
  /** The page's origin, without the token. */
  origin: 'SLIPWAY_E2E_ORIGIN',
  /** The unix socket of the Docker engine the Slipway engine talks to. */
  dockerSocket: 'SLIPWAY_E2E_DOCKER_SOCKET',
  /** The file the engine reads as ~/.ssh/config: tests write their servers' aliases there. */
  sshConfig: 'SLIPWAY_E2E_SSH_CONFIG',
  /** The engine's data folder: a \`slipway\` run with it as SLIPWAY_HOME reaches the same engine as the page. */
  dataDir: 'SLIPWAY_E2E_DATA_DIR',
} as const;

export function e2eEnv(key: keyof typeof E2E_ENV): string {
  const value = process.env[E2E_ENV[key]];
  if (!value) throw new Error(`${E2E_ENV[key]} is not set: run these tests through \`npx playwright test\``);
  return value;
}

/** Every app an end-to-end test creates is named with this prefix; cleanup touches only those. */
export const E2E_APP_PREFIX = 'e2e-';
