import type { RollbackPreview } from '../../../shared/domains/apps';
import type { Deployment } from '../../../shared/deployment';
import { specChanges } from '../deploy/spec-changes';
import type { SecretBox } from '../secrets/secret-box';

/** Compares the live deployment with a rollback target: spec diff, revisions, images, env keys. */
export function previewRollback(current: Deployment | null, target: Deployment, secrets: SecretBox): RollbackPreview {
  const changes = specChanges(current?.specYaml ?? '', target.specYaml, secrets, {
    before: `live (${current?.id ?? 'none'})`,
    after: `rollback target (${target.id})`,
  });
  return {
    target: target.id,
    diff: changes.diff,
    summary: {
      sourceRevision: { current: current?.sourceRevision ?? null, target: target.sourceRevision },
      images: Object.entries(target.images).map(([component, image]) => ({
        component,
        current: current?.images[component]?.id ?? null,
        target: image.id,
      })),
      envKeys: changes.envKeys,
    },
  };
}
