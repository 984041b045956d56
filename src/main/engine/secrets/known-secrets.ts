import type { SlipwayState } from '../store/state-store';
import { loadStoredSpec } from '../store/stored-spec';
import type { SecretBox } from './secret-box';
import { secretValues } from './seal-spec';

/**
 * Every secret value Slipway holds, in plain, keyed by where it belongs
 * (`app/KEY`, `server/password`): what the engine's own log must hide. A
 * value that cannot be opened is left out: it cannot appear in plain either.
 */
export function knownSecrets(state: SlipwayState, box: SecretBox): Record<string, string> {
  const out: Record<string, string> = {};
  const open = (key: string, sealed: () => Record<string, string> | string) => {
    try {
      const value = sealed();
      if (typeof value === 'string') out[key] = value;
      else for (const [k, v] of Object.entries(value)) out[`${key}/${k}`] = v;
    } catch {
      // Sealed under another key (a copied data folder): nothing of it is in plain here.
    }
  };
  for (const app of state.apps) {
    const spec = loadStoredSpec(app.specYaml).spec;
    if (spec) open(app.name, () => secretValues(spec, box));
  }
  for (const server of state.servers) {
    const auth = server.auth;
    if (auth.type === 'password') open(`${server.name}/password`, () => box.open(auth.password));
    if (auth.type === 'key' && auth.passphrase) {
      const passphrase = auth.passphrase;
      open(`${server.name}/passphrase`, () => box.open(passphrase));
    }
  }
  return out;
}
