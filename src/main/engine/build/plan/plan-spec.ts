import type { BuildPlan, SpecPlanResult } from '../../../../shared/build-plan';
import { SlipwayError } from '../../../../shared/errors';
import type { AppSpec, ComponentSpec, SpecProblem } from '../../../../shared/spec/app-spec';
import type { ImageList } from './base-images';
import { planComponent } from './plan-component';
import { folderSourceFiles, type SourceFiles } from './source-files';

const KIND_FIELDS: Record<ComponentSpec['kind'], string> = {
  service: 'services',
  static_site: 'static_sites',
  worker: 'workers',
  job: 'jobs',
};

/** A component's place in the spec's YAML: `static_sites[1]`. */
export function componentField(spec: AppSpec, component: ComponentSpec): string {
  const index = spec.components.filter((c) => c.kind === component.kind).indexOf(component);
  return `${KIND_FIELDS[component.kind]}[${index}]`;
}

/**
 * The build plan of every component built from the spec's folder; what cannot be planned
 * (a language Slipway cannot build, a bad output_dir) is an error naming its field. A git
 * component is planned when its build fetches it; an image is not built at all.
 */
export function planSpecComponents(
  spec: AppSpec,
  sourcePath: string | null,
  images: ImageList,
): Omit<SpecPlanResult, 'databases'> {
  const plans: BuildPlan[] = [];
  const errors: SpecProblem[] = [];
  const warnings: SpecProblem[] = [];
  let source: SourceFiles | null = null;
  for (const component of spec.components) {
    const field = componentField(spec, component);
    if (component.source.type === 'image') continue;
    if (component.source.type === 'git') {
      warnings.push({ path: field, message: 'built from git: its build plan is made once the repository is fetched' });
      continue;
    }
    if (!sourcePath) {
      warnings.push({ path: field, message: 'no source folder given: its build plan is made when it is built' });
      continue;
    }
    try {
      source ??= folderSourceFiles(sourcePath);
      plans.push(planComponent(source, component, images, field));
    } catch (err) {
      if (!(err instanceof SlipwayError) || (err.code !== 'LANGUAGE_UNSUPPORTED' && err.code !== 'SPEC_INVALID')) {
        throw err;
      }
      errors.push({
        path: field,
        message: err.message.startsWith(`${field}: `) ? err.message.slice(field.length + 2) : err.message,
      });
    }
  }
  return { plans, errors, warnings };
}
