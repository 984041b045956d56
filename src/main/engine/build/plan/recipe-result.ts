import type { BuildPlan } from '../../../../shared/build-plan';

/** What a recipe decides; plan-component adds the component, recipe and why. */
export type RecipeResult = Pick<
  BuildPlan,
  'version' | 'install' | 'build' | 'start' | 'baseImages' | 'dockerfile' | 'files'
>;
