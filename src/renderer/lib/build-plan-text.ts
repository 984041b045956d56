import type { BuildPlan, BuildRecipe } from '../../shared/build-plan';

const RECIPE_TITLES: Record<BuildRecipe, string> = {
  dockerfile: 'Your Dockerfile',
  node: 'Node.js',
  python: 'Python',
  go: 'Go',
  static: 'Static site',
};

/** How a recipe is named on screen. */
export function recipeTitle(recipe: BuildRecipe): string {
  return RECIPE_TITLES[recipe];
}

/** "20, from package.json engines.node"; null when the plan pins no language version. */
export function versionText(plan: Pick<BuildPlan, 'version'>): string | null {
  return plan.version ? `${plan.version.version}, from ${plan.version.from}` : null;
}

/** A step's command, or what happens when the plan has none (a Dockerfile's own steps are its business). */
export function stepText(
  plan: Pick<BuildPlan, 'recipe' | 'install' | 'build' | 'start'>,
  step: 'install' | 'build' | 'start',
): string {
  const command = plan[step];
  if (command) return command;
  if (plan.recipe === 'dockerfile') return step === 'start' ? "The Dockerfile's CMD" : 'As your Dockerfile says';
  if (step === 'install') return 'Nothing to install';
  if (step === 'build') return 'No build step';
  return "The image's default command";
}

/**
 * The user's Dockerfile a plan builds with, as the engine named it in `detectedBy`
 * ("dockerfile_path: api/Dockerfile", "api/Dockerfile found"); "Dockerfile" when it names none.
 */
export function ownDockerfilePath(plan: Pick<BuildPlan, 'detectedBy'>): string {
  const given = /^dockerfile_path:\s*(.+)$/.exec(plan.detectedBy.trim());
  if (given) return given[1]!.trim();
  const named = /(\S*Dockerfile\S*)/.exec(plan.detectedBy);
  return named ? named[1]! : 'Dockerfile';
}

/** How a user takes a generated build over as their own files. */
export function takeOverHint(plan: Pick<BuildPlan, 'files'>): string {
  const extra = Object.keys(plan.files).length;
  return [
    'To make it your own, save it as Dockerfile in the folder and set dockerfile_path in the spec;',
    extra
      ? ` save ${extra === 1 ? 'the file below at its path' : 'the files below at their paths'} too.`
      : ' Slipway then builds your file as it is.',
  ].join('');
}
