import type { BuildPlan } from '../../../shared/build-plan';
import { SlipwayError } from '../../../shared/errors';
import type { ComponentSpec } from '../../../shared/spec/app-spec';
import { planComponent } from '../build/plan/plan-component';
import { componentField } from '../build/plan/plan-spec';
import { folderSourceFiles } from '../build/plan/source-files';
import { ensureBaseImage, imageTagsOn } from '../docker/ensure-image';
import type { RunContext } from './run-context';

/**
 * The generated build of a component whose source has no Dockerfile: planned from the checked-out
 * files, printed to the build log, its base images made present on the builder. Null when the
 * component builds from its own Dockerfile.
 */
export async function prepareGeneratedBuild(
  run: RunContext,
  component: ComponentSpec,
  sourceRoot: string,
): Promise<BuildPlan | null> {
  const builder = run.builder;
  const files = folderSourceFiles(sourceRoot);
  // A source_dir that is not there (or leads outside the source) is that, not a language without a recipe.
  if (component.sourceDir && !files.exists(component.sourceDir)) {
    throw new SlipwayError('SOURCE_NOT_FOUND', `no source directory at ${component.sourceDir}`, {
      sourceDir: component.sourceDir,
    });
  }
  const images = await imageTagsOn(builder);
  const plan = planComponent(files, component, images, componentField(run.spec, component));
  if (plan.dockerfile === null) return null;
  const log = (line: string) => run.log.write('build', line, component.name);
  log(`Generated Dockerfile (${plan.recipe}, ${plan.detectedBy}):`);
  for (const line of plan.dockerfile.trimEnd().split('\n')) log(`  ${line}`);
  for (const image of plan.baseImages) {
    run.checkCanceled();
    await ensureBaseImage(builder, image, log);
  }
  return plan;
}
