/*
 * The DigitalOcean-shaped input, field by field, as Slipway reads it (snake_case, as DigitalOcean documents it).
 * Only the fields Slipway honours are here; the rest are reported by spec-fields.ts. Objects are loose so that a
 * field Slipway does not know never makes a component fail: it gets a warning instead.
 */
import { z } from 'zod';
import { checkCloneUrl, checkGitBranch, checkRepoSlug, type RepoHost } from './git-source';
import { isYamlScalar } from './read-yaml';
import { normaliseSourcePath } from './source-paths';
import { quote } from './spec-problems';

/**
 * App and component names: DNS labels (they are the components' host names on the app's network) that are also
 * safe in Docker names, labels and paths. DigitalOcean wants a letter first; Slipway takes a digit too (`216labs`),
 * but never a name that is a number (`123`, `0x1f`), which a URL would read as an IP address.
 */
export const NAME_PATTERN = /^(?!0x[0-9a-f]*$)(?=[a-z0-9-]*[a-z])[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/;
export const NAME_RULE =
  'use 2 to 32 lowercase letters, digits and dashes, with a letter somewhere, not starting or ending with a dash';

export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_INSTANCES = 20;
/** Bounds that keep one spec's checks small; far above what DigitalOcean's own apps hold. */
export const MAX_COMPONENTS = 50;
export const MAX_ENVS = 500;

type Issue = { input?: unknown };

/** A message for a wrong type that says "required" when the field is simply missing. */
function expected(what: string, requiredHint = what): (issue: Issue) => string {
  return (issue) => (issue.input === undefined ? `required: ${requiredHint}` : `must be ${what}`);
}

/** YAML's empty value means "not given", as DigitalOcean reads it. */
function absent(value: unknown): unknown {
  return value === null ? undefined : value;
}

/** Numbers and booleans are accepted where text is expected, exactly as they were written. */
function asText(value: unknown): unknown {
  if (value === null) return undefined;
  return isYamlScalar(value) ? value.source : value;
}

function asNumberOrBoolean(value: unknown): unknown {
  if (value === null) return undefined;
  return isYamlScalar(value) ? value.value : value;
}

function text(what = 'a string', requiredHint?: string) {
  return z.preprocess(asText, z.string({ error: expected(what, requiredHint) }));
}

function optionalText(what = 'a string') {
  return z.preprocess(asText, z.string({ error: expected(what) }).optional());
}

function integer(min: number, max: number, extra?: (input: unknown) => string) {
  const message = (issue: Issue) => `must be an integer from ${min} to ${max}${extra?.(issue.input) ?? ''}`;
  return z.preprocess(
    asNumberOrBoolean,
    z.int({ error: message }).min(min, { error: message }).max(max, { error: message }).optional(),
  );
}

function flag() {
  return z.preprocess(asNumberOrBoolean, z.boolean({ error: 'must be true or false' }).optional());
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(asText, z.enum(values, { error: `must be one of ${values.join(', ')}` }).optional());
}

function list<T extends z.ZodType>(item: T, what: string, max = Number.POSITIVE_INFINITY) {
  const tooMany = (issue: Issue) =>
    `has ${Array.isArray(issue.input) ? issue.input.length : 'too many'} entries; Slipway takes at most ${max} in one list`;
  return z.preprocess(
    absent,
    z
      .array(item, { error: `must be a list of ${what}` })
      .max(max, { error: tooMany })
      .optional(),
  );
}

function mapping<T extends z.core.$ZodLooseShape>(shape: T, what: string) {
  return z.looseObject(shape, { error: expected(`a mapping of ${what}`) });
}

/** An optional nested mapping; an empty YAML value counts as not given. */
function maybe<T extends z.ZodType>(schema: T) {
  return z.preprocess(absent, schema.optional());
}

/** A text field checked by a function that returns what is wrong, or null. */
function checked(check: (value: string) => string | null, what?: string, requiredHint?: string) {
  return text(what, requiredHint).superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

function checkName(value: string): string | null {
  return NAME_PATTERN.test(value) ? null : `${quote(value)} is not a valid name: ${NAME_RULE}`;
}

export const nameField = checked(checkName, 'a string', `a name (${NAME_RULE})`);

/** source_dir and dockerfile_path: normalised relative to the source root, '' for the root. */
function sourcePath() {
  return z.preprocess(asText, z.string({ error: expected('a path') }).optional()).transform((value, ctx) => {
    if (value === undefined) return undefined;
    const result = normaliseSourcePath(value);
    if (result.ok) return result.path;
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  });
}

const branch = () =>
  z.preprocess(asText, z.string({ error: expected('a branch name') }).optional()).superRefine((value, ctx) => {
    const problem = value === undefined ? null : checkGitBranch(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const envSchema = mapping(
  {
    key: checked(
      (key) =>
        ENV_KEY_PATTERN.test(key)
          ? null
          : `${quote(key)} is not a valid variable name: use letters, digits and "_", not starting with a digit`,
      'a string',
      'the variable name',
    ),
    value: z.preprocess(asText, z.string({ error: 'must be a string, a number or true/false' }).optional()),
    scope: oneOf(['RUN_TIME', 'BUILD_TIME', 'RUN_AND_BUILD_TIME', 'UNSET']),
    type: oneOf(['GENERAL', 'SECRET']),
  },
  'key, value, scope and type',
);
export type EnvInput = z.output<typeof envSchema>;

export const envListSchema = list(envSchema, '{key, value} entries', MAX_ENVS);

export const gitSchema = mapping(
  { repo_clone_url: checked(checkCloneUrl, 'a string', 'the URL to clone'), branch: branch() },
  'repo_clone_url and branch',
);

/** A `github`, `gitlab` or `bitbucket` source: a repo on that host, named owner/name. */
export function hostedRepoSchema(host: RepoHost) {
  return mapping(
    {
      repo: checked((repo) => checkRepoSlug(host, repo), 'a string', 'the repository, as owner/name'),
      branch: branch(),
      // Not honoured (Slipway deploys when asked); read so that its value is never judged, only reported.
      deploy_on_push: z.unknown().optional(),
    },
    'repo and branch',
  );
}

const REGISTRY = /^[A-Za-z0-9](?:[A-Za-z0-9._:-]*[A-Za-z0-9])?$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

function matching(pattern: RegExp, rule: string) {
  return (value: string) => (pattern.test(value) ? null : `${quote(value)} ${rule}`);
}

export const imageSchema = mapping(
  {
    // Inferred before the schema reads it where the registry tells (image-registry.ts).
    registry_type: z.preprocess(
      asText,
      z.enum(['DOCKER_HUB', 'DOCR', 'GHCR'], { error: expected('one of DOCKER_HUB, DOCR, GHCR') }),
    ),
    registry: optionalText().superRefine((value, ctx) => {
      const problem = value === undefined ? null : matching(REGISTRY, 'is not a registry name')(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    repository: checked(
      matching(REPOSITORY, 'is not an image repository: use lowercase letters, digits, "-", "_", "." and "/"'),
      'a string',
      'the image repository',
    ),
    tag: optionalText().superRefine((value, ctx) => {
      const problem = value === undefined ? null : matching(TAG, 'is not an image tag')(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    digest: optionalText().superRefine((value, ctx) => {
      const problem = value === undefined ? null : matching(DIGEST, 'is not an image digest (sha256:...)')(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    deploy_on_push: z.unknown().optional(),
  },
  'registry_type, registry, repository and tag',
);

/** A path in a URL: a route's, a health check's, an ingress rule's prefix. */
// eslint-disable-next-line no-control-regex
export const URL_PATH = /^\/[^\s\u0000-\u001f\u007f]*$/;
/**
 * A route's or an ingress rule's path prefix: plain path characters only. Both edges compare it as
 * text, and Caddy would read `*` as a wildcard and `%` as an escape.
 */
export const PATH_PREFIX = /^\/[A-Za-z0-9._~!$&'()+,;=:@/-]*$/;
export const PATH_PREFIX_RULE = 'a path prefix starting with "/", of letters, digits and - . _ ~ / (no *, %, ? or #)';

const urlPath = (what: string) =>
  optionalText().superRefine((value, ctx) => {
    if (value !== undefined && !URL_PATH.test(value)) {
      ctx.addIssue({ code: 'custom', message: `must be ${what} starting with "/", without spaces` });
    }
  });

const port = () => integer(1, 65535);

export const healthCheckSchema = mapping(
  {
    http_path: urlPath('an HTTP path'),
    // Deprecated by DigitalOcean in favour of http_path; read so that it can still be honoured.
    path: urlPath('an HTTP path'),
    port: port(),
    initial_delay_seconds: integer(0, 3600),
    period_seconds: integer(1, 300),
    timeout_seconds: integer(1, 120),
    success_threshold: integer(1, 50),
    failure_threshold: integer(1, 50),
  },
  'http_path, port and timings',
);

export const routeSchema = mapping(
  {
    path: optionalText()
      .refine((value) => value !== undefined, { error: 'required: the path prefix, e.g. /api' })
      .refine((value) => value === undefined || PATH_PREFIX.test(value), { error: `must be ${PATH_PREFIX_RULE}` }),
    preserve_path_prefix: flag(),
  },
  'path and preserve_path_prefix',
);

/** Fields every component kind shares. */
const commonShape = {
  name: nameField,
  git: maybe(gitSchema),
  github: maybe(hostedRepoSchema('github')),
  gitlab: maybe(hostedRepoSchema('gitlab')),
  bitbucket: maybe(hostedRepoSchema('bitbucket')),
  image: maybe(imageSchema),
  dockerfile_path: sourcePath(),
  source_dir: sourcePath(),
  run_command: optionalText(),
  build_command: optionalText(),
  environment_slug: optionalText(),
  envs: envListSchema,
  // 0 keeps the component in the spec without starting it (warned when loaded).
  instance_count: integer(0, MAX_INSTANCES),
};

export const serviceSchema = mapping(
  {
    ...commonShape,
    http_port: port(),
    internal_ports: list(
      port().refine((value) => value !== undefined, { error: 'must be a port' }),
      'ports',
    ),
    health_check: maybe(healthCheckSchema),
    routes: list(routeSchema, '{path} entries'),
  },
  'component fields',
);

export const workerSchema = mapping(commonShape, 'component fields');

export const jobSchema = mapping(
  { ...commonShape, kind: oneOf(['UNSPECIFIED', 'PRE_DEPLOY', 'POST_DEPLOY', 'FAILED_DEPLOY']) },
  'component fields',
);

/** A file served by a static site's web server, relative to its output_dir: `index.html`, `404.html`. */
function document() {
  return sourcePath();
}

/** DigitalOcean's static site: built (or from a Dockerfile), then its output_dir served; no run command, one instance. */
export const staticSiteSchema = mapping(
  {
    name: nameField,
    git: commonShape.git,
    github: commonShape.github,
    gitlab: commonShape.gitlab,
    bitbucket: commonShape.bitbucket,
    dockerfile_path: commonShape.dockerfile_path,
    source_dir: commonShape.source_dir,
    build_command: commonShape.build_command,
    environment_slug: commonShape.environment_slug,
    envs: envListSchema,
    routes: list(routeSchema, '{path} entries'),
    output_dir: sourcePath(),
    index_document: document(),
    error_document: document(),
    catchall_document: document(),
  },
  'static site fields',
);

export type ServiceInput = z.output<typeof serviceSchema>;
export type WorkerInput = z.output<typeof workerSchema>;
export type JobInput = z.output<typeof jobSchema>;
export type StaticSiteInput = z.output<typeof staticSiteSchema>;
export type ComponentInput = ServiceInput | WorkerInput | JobInput;
export type HealthCheckInput = z.output<typeof healthCheckSchema>;

/** The fields each schema reads, so that every other field can be reported. */
export function fieldsOf(schema: { shape: object }): ReadonlySet<string> {
  return new Set(Object.keys(schema.shape));
}
