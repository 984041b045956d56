import type { RollbackPreview } from '../../../shared/domains/apps';
import type { Deployment } from '../../../shared/deployment';
import type { AppSpec } from '../../../shared/spec/app-spec';
import { unifiedDiff } from '../../../shared/text/unified-diff';
import { isSealed, type SecretBox } from '../secrets/secret-box';
import { maskSpecSecrets } from '../secrets/seal-spec';
import { loadStoredSpec } from '../store/stored-spec';

/** Env values by `component/KEY`, secrets opened so that equal values compare equal. */
function envValues(spec: AppSpec | null, secrets: SecretBox): Map<string, string> {
  const values = new Map<string, string>();
  for (const component of spec?.components ?? []) {
    for (const env of component.envs) {
      const value = env.type === 'SECRET' && isSealed(env.value) ? secrets.open(env.value) : env.value;
      values.set(`${component.name}/${env.key}`, `${env.scope}\u0000${value}`);
    }
  }
  return values;
}

/** Compares the live deployment with a rollback target: spec diff, revisions, images, env keys. */
export function previewRollback(current: Deployment | null, target: Deployment, secrets: SecretBox): RollbackPreview {
  const before = envValues(current ? loadStoredSpec(current.specYaml).spec : null, secrets);
  const after = envValues(loadStoredSpec(target.specYaml).spec, secrets);
  const keys = (list: string[]) => [...new Set(list)].sort();
  return {
    target: target.id,
    diff: unifiedDiff(maskSpecSecrets(current?.specYaml ?? ''), maskSpecSecrets(target.specYaml), {
      before: `live (${current?.id ?? 'none'})`,
      after: `rollback target (${target.id})`,
    }),
    summary: {
      sourceRevision: { current: current?.sourceRevision ?? null, target: target.sourceRevision },
      images: Object.entries(target.images).map(([component, image]) => ({
        component,
        current: current?.images[component]?.id ?? null,
        target: image.id,
      })),
      envKeys: {
        added: keys([...after.keys()].filter((k) => !before.has(k))),
        removed: keys([...before.keys()].filter((k) => !after.has(k))),
        changed: keys([...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k))),
      },
    },
  };
}
