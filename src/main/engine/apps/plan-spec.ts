import type { SpecPlanResult } from '../../../shared/build-plan';
import { databaseImage } from '../../../shared/spec/database-spec';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { databaseVolumeName } from '../docker/database-options';
import { planSpecComponents } from '../build/plan/plan-spec';
import { imageTagsOn } from '../docker/ensure-image';
import type { EngineContext } from '../engine-context';
import { readSpec, type SpecInput } from './spec-intake';

/** How a spec's components would be built from its folder, with the spec's own errors and warnings; nothing is built. */
export async function planSpec(ctx: EngineContext, input: SpecInput): Promise<SpecPlanResult> {
  const { yaml, sourcePath } = await readSpec(input);
  const loaded = loadAppSpec(yaml);
  if (!loaded.spec) return { plans: [], databases: [], errors: loaded.errors, warnings: loaded.warnings };
  const planned = planSpecComponents(loaded.spec, sourcePath, await imageTagsOn(ctx.localHost));
  const app = loaded.spec.name;
  return {
    plans: planned.plans,
    databases: loaded.spec.databases.map((db) => ({
      name: db.name,
      engine: db.engine,
      version: db.version,
      image: databaseImage(db),
      volume: databaseVolumeName(app, db.name),
    })),
    errors: [...loaded.errors, ...planned.errors],
    warnings: [...loaded.warnings, ...planned.warnings],
  };
}
