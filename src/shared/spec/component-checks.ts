/*
 * Checks on a component's raw fields, made before its schema reads them: so that they are reported even when a
 * field has the wrong shape, and together with every other problem of the spec.
 */
import type { ComponentKind } from './app-spec';
import { isYamlScalar } from './read-yaml';
import { isMap, type RawMap } from './raw-values';
import { IMAGE_ADVICE, isEmpty, reportFields } from './spec-fields';
import type { Path, ProblemList } from './spec-problems';
import { fieldsOf, gitSchema, healthCheckSchema, hostedRepoSchema, imageSchema, routeSchema } from './spec-schema';

const GIT_SOURCES = ['git', 'github', 'gitlab', 'bitbucket'] as const;
/** Component fields read outside the schema: their meaning depends on the component's other fields. */
const HANDLED_COMPONENT_FIELDS: ReadonlySet<string> = new Set(['env']);

const HOSTED_REPO_FIELDS = fieldsOf(hostedRepoSchema('github'));
const NESTED_FIELDS: readonly [string, ReadonlySet<string>, Readonly<Record<string, string>>][] = [
  ['git', fieldsOf(gitSchema), {}],
  ['github', HOSTED_REPO_FIELDS, {}],
  ['gitlab', HOSTED_REPO_FIELDS, {}],
  ['bitbucket', HOSTED_REPO_FIELDS, {}],
  ['image', fieldsOf(imageSchema), IMAGE_ADVICE],
];

/** Warns about the fields of a component, and of the mappings inside it, that Slipway does not read. */
export function reportComponentFields(
  raw: RawMap,
  path: Path,
  kind: ComponentKind,
  known: ReadonlySet<string>,
  advice: Readonly<Record<string, string>>,
  problems: ProblemList,
): void {
  reportFields(raw, path, known, advice, problems, HANDLED_COMPONENT_FIELDS);
  reportNestedFields(raw, path, kind, problems);
}

/** Unknown fields inside the nested mappings the schema reads; a worker's or job's health_check and routes are
 * ignored whole (with a warning), so what is inside them is not worth more warnings. */
function reportNestedFields(raw: RawMap, path: Path, kind: ComponentKind, problems: ProblemList): void {
  const nested = [...NESTED_FIELDS];
  if (kind === 'service') nested.push(['health_check', fieldsOf(healthCheckSchema), {}]);
  const hasRoutes = kind === 'service' || kind === 'static_site';
  for (const [field, known, advice] of nested) {
    const value = raw[field];
    if (isMap(value)) reportFields(value, [...path, field], known, advice, problems);
  }
  const routeList = raw.routes;
  if (hasRoutes && Array.isArray(routeList)) {
    routeList.forEach((route: unknown, i) => {
      if (isMap(route)) reportFields(route, [...path, 'routes', i], fieldsOf(routeSchema), {}, problems);
    });
  }
}

/** Warns about deploy_on_push left on: Slipway never deploys by itself. */
export function warnDeployOnPush(raw: RawMap, path: Path, problems: ProblemList): void {
  for (const field of ['github', 'gitlab', 'bitbucket', 'image']) {
    const source = raw[field];
    if (!isMap(source) || !Object.hasOwn(source, 'deploy_on_push')) continue;
    const value = source.deploy_on_push;
    const off =
      isEmpty(value) ||
      (isYamlScalar(value) && value.value === false) ||
      (isMap(value) && isYamlScalar(value.enabled) && value.enabled.value === false);
    if (!off) {
      problems.warn(
        [...path, field, 'deploy_on_push'],
        'Slipway deploys when you ask it to, not on every push; deploy from Slipway after pushing. Ignored.',
      );
    }
  }
}

/** A component has one source at most: one git source or an image; none means the spec's own folder. */
export function checkSources(raw: RawMap, path: Path, problems: ProblemList): boolean {
  const gitFields = GIT_SOURCES.filter((field) => raw[field] !== undefined && raw[field] !== null);
  if (gitFields.length > 1) {
    problems.error(path, `has ${gitFields.join(' and ')} sources; keep exactly one`);
    return false;
  }
  const [gitField] = gitFields;
  if (gitField && raw.image !== undefined && raw.image !== null) {
    problems.error(
      path,
      `has both a git source (${gitField}) and an image; a component is built from source or runs an image, not both: keep one`,
    );
    return false;
  }
  return true;
}

/**
 * What is built, and which build fields are then ignored: nothing for an image; with dockerfile_path, the user's
 * Dockerfile (build_command and environment_slug unused); without it, a build Slipway generates from the source.
 */
export function checkBuild(raw: RawMap, path: Path, problems: ProblemList): boolean {
  const buildpackFields = ['environment_slug', 'build_command'].filter((field) => !isEmpty(raw[field]));
  if (raw.image !== undefined && raw.image !== null) {
    for (const field of ['dockerfile_path', 'source_dir', ...buildpackFields]) {
      if (!isEmpty(raw[field])) {
        problems.warn([...path, field], 'nothing is built for a component that runs an image. Ignored.');
      }
    }
    return true;
  }
  if (isEmpty(raw.dockerfile_path)) return true;
  for (const field of buildpackFields) {
    problems.warn(
      [...path, field],
      'Slipway builds with the Dockerfile at dockerfile_path; put build steps in the Dockerfile, or remove dockerfile_path to have Slipway generate the build. Ignored.',
    );
  }
  return true;
}
