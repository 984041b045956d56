/*
 * The parts of a ComponentSpec made from a component the schema accepted: its source, build paths, health check,
 * routes and job kind, with DigitalOcean's defaults for what the spec leaves out.
 */
import type { ComponentSource, HealthCheck, JobKind, Route } from './app-spec';
import { hostedCloneUrl, type RepoHost } from './git-source';
import { joinSourcePath } from './source-paths';
import type { Path, ProblemList } from './spec-problems';
import type { ComponentInput, HealthCheckInput, JobInput, ServiceInput, StaticSiteInput } from './spec-schema';

/** The port a service listens on when it sets no http_port, as on DigitalOcean. */
export const DEFAULT_HTTP_PORT = 8080;

/** DigitalOcean's documented health check defaults. */
export const DEFAULT_HEALTH_CHECK: HealthCheck = {
  httpPath: null,
  port: null,
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 9,
};

/** Where the component's code comes from: an image, a git repository, or the spec's own folder. */
export function componentSource(
  data: ComponentInput | StaticSiteInput,
  path: Path,
  problems: ProblemList,
): ComponentSource {
  // A static site has no image field (its schema does not read one).
  const image = (data as ComponentInput).image;
  if (image) {
    if (image.registry_type === 'DOCR') {
      problems.warn(
        [...path, 'image', 'registry_type'],
        'images in DigitalOcean Container Registry can only be pulled after `docker login registry.digitalocean.com` on the Docker engine you deploy to.',
      );
    }
    if (image.tag !== undefined && image.digest !== undefined) {
      problems.warn([...path, 'image', 'tag'], 'the digest pins the image, so the tag is ignored; keep one of them.');
    }
    return {
      type: 'image',
      registryType: image.registry_type,
      registry: image.registry ?? null,
      repository: image.repository,
      tag: image.tag ?? 'latest',
      digest: image.digest ?? null,
    };
  }
  if (data.git) return { type: 'git', url: data.git.repo_clone_url, branch: data.git.branch ?? null };
  for (const host of ['github', 'gitlab', 'bitbucket'] as const satisfies readonly RepoHost[]) {
    const hosted = data[host];
    if (hosted) return { type: 'git', url: hostedCloneUrl(host, hosted.repo), branch: hosted.branch ?? null };
  }
  return { type: 'local' };
}

/** The build context and the Dockerfile, both relative to the source root. */
export function buildPaths(
  data: ComponentInput | StaticSiteInput,
  path: Path,
  problems: ProblemList,
): { sourceDir: string; dockerfilePath: string } | null {
  const sourceDir = data.source_dir ?? '';
  if (data.dockerfile_path === '') {
    problems.error([...path, 'dockerfile_path'], 'must name the Dockerfile, not the source root');
    return null;
  }
  return { sourceDir, dockerfilePath: data.dockerfile_path ?? joinSourcePath(sourceDir, 'Dockerfile') };
}

/** A service's health check with DigitalOcean's defaults filled in, or null when the spec sets none. */
export function healthCheck(
  input: HealthCheckInput | undefined,
  path: Path,
  problems: ProblemList,
): HealthCheck | null {
  // No health_check: the engine asks the image's HEALTHCHECK first, then DigitalOcean's default TCP check.
  if (!input) return null;
  if (input.path !== undefined) {
    problems.warn(
      [...path, 'path'],
      input.http_path !== undefined
        ? 'deprecated, and http_path is set: remove path. Ignored.'
        : 'deprecated: write http_path instead (read as http_path this time).',
    );
  }
  const d = DEFAULT_HEALTH_CHECK;
  return {
    httpPath: input.http_path ?? input.path ?? null,
    port: input.port ?? null,
    initialDelaySeconds: input.initial_delay_seconds ?? d.initialDelaySeconds,
    periodSeconds: input.period_seconds ?? d.periodSeconds,
    timeoutSeconds: input.timeout_seconds ?? d.timeoutSeconds,
    successThreshold: input.success_threshold ?? d.successThreshold,
    failureThreshold: input.failure_threshold ?? d.failureThreshold,
  };
}

/** A service's routes with DigitalOcean's defaults filled in. */
export function routes(input: NonNullable<ServiceInput['routes']>): Route[] {
  return input.map((route) => ({ path: route.path ?? '/', preservePathPrefix: route.preserve_path_prefix ?? false }));
}

/** When a job runs. */
export function jobKind(kind: JobInput['kind']): JobKind {
  // DigitalOcean's UNSPECIFIED (and no kind at all) runs the job after each deployment.
  return kind === undefined || kind === 'UNSPECIFIED' ? 'POST_DEPLOY' : kind;
}
