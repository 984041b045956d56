import type { AppRecord, SlipwayState } from '../store/state-store';
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
  const open = (key: string, sealed: () => string) => {
    try {
      out[key] = sealed();
    } catch {
      // Sealed under another key (a copied data folder): nothing of it is in plain here.
    }
  };
  for (const app of state.apps) {
    for (const [key, value] of Object.entries(storedSpecSecrets(app.specYaml, box))) out[`${app.name}/${key}`] = value;
    for (const [key, value] of Object.entries(databasePasswords(app, box))) out[`${app.name}/${key}`] = value;
  }
  for (const kept of state.keptDatabases ?? []) open(`${kept.app}/${kept.db}.password`, () => box.open(kept.password));
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

/**
 * The plain secret values of a stored spec (an app's, or the one a deployment
 * ran), by key. A spec that no longer loads, or a value sealed under another
 * key, gives nothing: nothing of it can be in plain here either.
 */
export function storedSpecSecrets(specYaml: string, box: SecretBox): Record<string, string> {
  const spec = loadStoredSpec(specYaml).spec;
  if (!spec) return {};
  try {
    return secretValues(spec, box);
  } catch {
    return {};
  }
}

/** The plain passwords of an app's databases, by `<db>.password`; one sealed under another key is left out. */
export function databasePasswords(app: Pick<AppRecord, 'databases'>, box: SecretBox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [db, { password }] of Object.entries(app.databases ?? {})) {
    try {
      out[`${db}.password`] = box.open(password);
    } catch {
      // Sealed under another key (a copied data folder): nothing of it is in plain here.
    }
  }
  return out;
}
