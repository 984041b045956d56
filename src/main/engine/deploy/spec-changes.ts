import { parse } from 'yaml';
import type { RollbackPreview } from '../../../shared/domains/apps';
import type { AppSpec } from '../../../shared/spec/app-spec';
import { unifiedDiff } from '../../../shared/text/unified-diff';
import { isSealed, type SecretBox } from '../secrets/secret-box';
import { maskSpecSecrets } from '../secrets/seal-spec';
import { loadStoredSpec } from '../store/stored-spec';
import { countChangedFields } from './changed-fields';

/** Env entries by `component/KEY`: type, scope and value, secrets opened so that equal values compare equal. */
function envValues(spec: AppSpec | null, secrets: SecretBox): Map<string, { secret: boolean; value: string }> {
  const values = new Map<string, { secret: boolean; value: string }>();
  for (const component of spec?.components ?? []) {
    for (const env of component.envs) {
      const value = env.type === 'SECRET' && isSealed(env.value) ? secrets.open(env.value) : env.value;
      values.set(`${component.name}/${env.key}`, {
        secret: env.type === 'SECRET',
        value: `${env.scope}\u0000${value}`,
      });
    }
  }
  return values;
}

/** What changes from one stored spec to another, never with a secret value. */
export interface SpecChanges {
  /** A unified diff of the two specs, secret values masked; empty when they are equal. */
  diff: string;
  /** Env keys by what the change does to them. */
  envKeys: RollbackPreview['summary']['envKeys'];
  /** How many fields differ (a secret whose value changed counts, though the diff cannot show it). */
  changedFields: number;
}

const parseOrNull = (yaml: string): unknown => {
  try {
    return parse(yaml) as unknown;
  } catch {
    return null;
  }
};

/** Compares two specs as stored (secrets sealed, or in clear for a file just read): diff, env keys, field count. */
export function specChanges(
  beforeYaml: string,
  afterYaml: string,
  secrets: SecretBox,
  names: { before: string; after: string },
): SpecChanges {
  const before = envValues(beforeYaml ? loadStoredSpec(beforeYaml).spec : null, secrets);
  const after = envValues(loadStoredSpec(afterYaml).spec, secrets);
  const keys = (list: string[]) => [...new Set(list)].sort();
  const changed = keys([...after.keys()].filter((k) => before.has(k) && before.get(k)!.value !== after.get(k)!.value));
  const maskedBefore = beforeYaml ? maskSpecSecrets(beforeYaml) : '';
  const maskedAfter = maskSpecSecrets(afterYaml);
  // Masked, a changed secret looks unchanged: counted from the opened values instead.
  const secretsChanged = changed.filter((k) => before.get(k)!.secret && after.get(k)!.secret).length;
  return {
    diff: unifiedDiff(maskedBefore, maskedAfter, names),
    envKeys: {
      added: keys([...after.keys()].filter((k) => !before.has(k))),
      removed: keys([...before.keys()].filter((k) => !after.has(k))),
      changed,
    },
    changedFields: countChangedFields(parseOrNull(maskedBefore), parseOrNull(maskedAfter)) + secretsChanged,
  };
}
