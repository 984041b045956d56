import path from 'node:path';
import type { BuildPlan } from '../../shared/build-plan';
import { print, type Command } from '../command';
import { required } from './arguments';
import { problemsText } from './format';

/** `slipway apps spec plan FILE`: how each component will be built and run, with the generated Dockerfile. */
export const specPlanCommand: Command = {
  words: ['apps', 'spec', 'plan'],
  args: ['file'],
  flags: {},
  summary: 'Show how each component is built and run (recipe, versions, generated Dockerfile); exit 0 when it can be',
  async run(ctx) {
    const file = required(ctx, 'file');
    const result = await ctx.client.apps.planSpec({ specPath: path.resolve(file) });
    print(ctx, result, () => {
      const parts = result.plans.map(planText);
      for (const db of result.databases) {
        parts.push(
          `${db.name}:\n  database:     ${db.engine} ${db.version}, from ${db.image}, data on the volume ${db.volume}`,
        );
      }
      if (result.errors.length) parts.push(problemsText('Error', result.errors));
      if (result.warnings.length) parts.push(problemsText('Warning', result.warnings));
      if (result.plans.length === 0) parts.unshift(`${file}: nothing to build (every component runs an image).`);
      return parts.join('\n\n');
    });
    return result.errors.length ? 1 : 0;
  },
};

/** One component's plan as text: what decided it, each step, then the Dockerfile indented. */
export function planText(plan: BuildPlan): string {
  const rows: Array<[string, string]> = [
    ['recipe', plan.recipe],
    ['detected by', plan.detectedBy],
    ['version', plan.version ? `${plan.version.version} (${plan.version.from})` : '-'],
    ['install', plan.install ?? '-'],
    ['build', plan.build ?? '-'],
    ['start', plan.start ?? (plan.recipe === 'dockerfile' ? "the image's CMD" : '-')],
    ['base images', plan.baseImages.length ? plan.baseImages.join(', ') : '-'],
  ];
  const lines = [`${plan.component}:`, ...rows.map(([k, v]) => `  ${`${k}:`.padEnd(13)} ${v}`)];
  if (plan.dockerfile) {
    lines.push(
      '  generated Dockerfile:',
      ...plan.dockerfile
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`),
    );
  }
  for (const [name, content] of Object.entries(plan.files)) {
    lines.push(
      `  ${name}:`,
      ...content
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`),
    );
  }
  return lines.join('\n');
}
