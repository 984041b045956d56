import type { BuildPlan, BuildRecipe } from '../../../../shared/build-plan';
import type { ComponentSpec } from '../../../../shared/spec/app-spec';
import type { ImageList } from './base-images';
import { detectLanguage } from './detect-language';
import { goRecipe } from './go-recipe';
import { nodeRecipe } from './node-recipe';
import { pythonRecipe } from './python-recipe';
import type { RecipeResult } from './recipe-result';
import { within, type SourceFiles } from './source-files';
import { staticRecipe } from './static-recipe';

/**
 * How a component with a source is built: its own Dockerfile when the spec names one or its
 * source_dir has one, else a Dockerfile generated for its language. `source` is the source
 * root; `field` names the component in errors (`services[0]`). Throws LANGUAGE_UNSUPPORTED.
 */
export function planComponent(
  source: SourceFiles,
  component: ComponentSpec,
  images: ImageList = [],
  field: string = component.name,
): BuildPlan {
  if (component.dockerfileGiven || source.exists(component.dockerfilePath)) {
    return {
      component: component.name,
      recipe: 'dockerfile',
      detectedBy: component.dockerfileGiven
        ? `dockerfile_path: ${component.dockerfilePath}`
        : `${component.dockerfilePath} found`,
      version: null,
      install: null,
      build: null,
      start: component.runCommand,
      baseImages: [],
      dockerfile: null,
      files: {},
    };
  }
  const files = within(source, component.sourceDir);
  const plan = (recipe: BuildRecipe, detectedBy: string, result: RecipeResult): BuildPlan => ({
    component: component.name,
    recipe,
    detectedBy,
    ...result,
  });
  if (component.kind === 'static_site') {
    const detected = staticBuilder(files, component.environmentSlug);
    return plan('static', detected.detectedBy, staticRecipe(files, component, images, detected.builder));
  }
  const { language, detectedBy } = detectLanguage(files, component.environmentSlug, field);
  switch (language) {
    case 'node':
      return plan('node', detectedBy, nodeRecipe(files, component, images));
    case 'python':
      return plan('python', detectedBy, pythonRecipe(files, component, images));
    case 'go':
      return plan('go', detectedBy, goRecipe(files, component, images));
    case 'static':
      return plan('static', detectedBy, staticRecipe(files, component, images, 'plain'));
  }
}

/** A static site builds in Node's image when it is a Node project, else in busybox (a build_command of plain shell). */
function staticBuilder(files: SourceFiles, slug: string | null): { builder: 'node' | 'plain'; detectedBy: string } {
  if (slug) {
    const node = /^node/i.test(slug);
    return { builder: node ? 'node' : 'plain', detectedBy: `static_sites, environment_slug: ${slug}` };
  }
  if (files.exists('package.json')) return { builder: 'node', detectedBy: 'static_sites, package.json found' };
  return { builder: 'plain', detectedBy: 'static_sites' };
}
