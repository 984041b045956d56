import { z } from 'zod';
import { DEPLOYMENT_PHASES } from '../../../shared/deployment';
import { issuesOf } from '../../../shared/rpc/validation';

// The shape of a stored state that the engine can work with, checked on every
// open. Objects are loose: a field a later version adds passes through
// untouched. Fields added after the first stored version without a migration
// (an app's `server`, `buildMode`, `specFile`, `specName`, `pin` and `databases`, a deployment's `plan`) may be absent.

const appRecord = z.looseObject({
  name: z.string().min(1),
  specName: z.string().min(1).optional(),
  server: z.string().min(1).optional(),
  buildMode: z.enum(['server', 'local']).optional(),
  specYaml: z.string(),
  sourcePath: z.string().nullable(),
  hostPorts: z.record(z.string(), z.number().int().positive()),
  edgePort: z.number().int().positive().optional(),
  specFile: z.string().min(1).optional(),
  pin: z
    .looseObject({
      deployment: z.string().min(1),
      target: z.string().min(1),
      previous: z.string().nullable(),
      at: z.string(),
    })
    .optional(),
  databases: z.record(z.string(), z.looseObject({ password: z.string().min(1) })).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

interface StoredStep {
  steps?: StoredStep[];
}

const step: z.ZodType<StoredStep> = z.lazy(() =>
  z.looseObject({
    name: z.string(),
    title: z.string(),
    status: z.enum(['PENDING', 'RUNNING', 'SUCCESS', 'ERROR', 'SKIPPED']),
    reason: z.string().optional(),
    startedAt: z.string().optional(),
    endedAt: z.string().optional(),
    steps: z.array(step).optional(),
  }),
);

const plan = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('build'), revision: z.string().nullable() }),
  z.looseObject({ type: z.literal('restart'), components: z.array(z.string()), base: z.string() }),
  z.looseObject({ type: z.literal('rollback'), target: z.string(), pin: z.enum(['set', 'clear']).optional() }),
]);

const deployment = z.looseObject({
  id: z.string().min(1),
  app: z.string().min(1),
  plan: plan.optional(),
  cause: z.string(),
  phase: z.enum(DEPLOYMENT_PHASES),
  specYaml: z.string(),
  sourceRevision: z.string().nullable(),
  images: z.record(z.string(), z.looseObject({ tag: z.string(), id: z.string(), built: z.boolean() })),
  containers: z.record(z.string(), z.array(z.string())),
  endpoints: z.array(
    z.looseObject({
      component: z.string(),
      url: z.string(),
      hostPort: z.number().int(),
      publicUrls: z.array(z.string()).optional(),
    }),
  ),
  progress: z.array(step),
  options: z.looseObject({ forceRebuild: z.boolean(), clearCache: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  error: z
    .looseObject({ code: z.string(), message: z.string(), lastLogLines: z.array(z.string()).optional() })
    .optional(),
  canceled: z.looseObject({ at: z.string(), by: z.string() }).optional(),
});

const serverRecord = z.looseObject({
  name: z.string().min(1),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  user: z.string(),
  auth: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('agent') }),
    z.looseObject({ type: z.literal('key'), keyPath: z.string(), passphrase: z.string().optional() }),
    z.looseObject({ type: z.literal('password'), password: z.string() }),
  ]),
  jump: z.string().nullable(),
  dockerSocket: z.string(),
  hostKey: z.string().nullable(),
  createdAt: z.string(),
  // Absent until `servers edge enable`, and again after disable.
  edge: z
    .looseObject({
      httpPort: z.number().int().min(1).max(65_535),
      httpsPort: z.number().int().min(1).max(65_535),
      bind: z.string().min(1),
      tls: z.enum(['acme', 'internal', 'off']),
      acmeEmail: z.string().optional(),
      image: z.string().min(1),
      pinnedImage: z.string().min(1).optional(),
      enabledAt: z.string(),
    })
    .optional(),
});

/** The state of the current schema version, as stored. */
export const storedStateSchema = z.looseObject({
  schemaVersion: z.number().int(),
  apps: z.array(appRecord),
  deployments: z.array(deployment),
  servers: z.array(serverRecord),
  keptDatabases: z
    .array(
      z.looseObject({
        server: z.string().min(1),
        app: z.string().min(1),
        db: z.string().min(1),
        volume: z.string().min(1),
        password: z.string().min(1),
      }),
    )
    .optional(),
});

/**
 * Where the state has the wrong shape, in a few words, e.g. `apps[0].name:
 * Invalid input: expected string, received undefined`. Zod's messages never
 * quote the value: the state holds sealed secrets and the user's specs.
 */
export function describeShapeIssues(error: z.ZodError, max = 3): string {
  const issues = issuesOf(error);
  const shown = issues.slice(0, max).map((i) => `${i.path || 'the whole file'}: ${i.message}`);
  return `${shown.join('; ')}${issues.length > max ? ` (and ${issues.length - max} more)` : ''}`;
}
