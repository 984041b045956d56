import { z } from 'zod';
import type { SpecPlanResult } from '../build-plan';
import type { Deployment, LogLine } from '../deployment';
import { deploymentDescription, deploymentTitle } from '../deployment-title';
import { emits, method, returns, stream } from '../rpc/contract';
import type { ComponentKind, SpecLoadResult, SpecProblem } from '../spec/app-spec';
import type { DatabaseSummary } from './databases';
import { appNameField as appName, componentNameField as componentName } from './name-fields';

const deploymentId = z.string().regex(/^[a-z0-9]{6,40}$/, 'must be a deployment id');
/** Who asks for an operation, as it is recorded: `cli`, `desktop`, ... */
const actor = z
  .string()
  .regex(/^[a-z][a-z0-9 _-]{0,31}$/, 'must be a short name such as "cli"')
  .default('user');
const hostPorts = z.record(componentName, z.number().int().min(1024).max(65535)).optional();
/**
 * Where a spec comes from: a file on this machine (or a folder with `.do/app.yaml`, `app.yaml` or
 * `.do/deploy.template.yaml`), or YAML text with the folder that holds the
 * source. The folder may be left out when every component has a git or image source (on update:
 * the app keeps its folder).
 */
const specSource = z.union([
  z.object({ specPath: z.string().min(1).max(4096) }).strict(),
  z
    .object({
      specYaml: z
        .string()
        .min(1)
        .max(1024 * 1024),
      sourcePath: z.string().min(1).max(4096).optional(),
    })
    .strict(),
]);

export interface ComponentSummary {
  name: string;
  kind: ComponentKind;
  instanceCount: number;
  /** Services: where it answers, once deployed. */
  url: string | null;
  /** Where the server's edge serves it under the app's domains, as of the live deployment; absent when none does. */
  publicUrls?: string[];
}

/**
 * `degraded`: live, but some of its containers are not running; `stopped`: none are;
 * `unreachable`: the Docker engine it runs on (this machine's or a server's) does not
 * answer, so what runs there is not known.
 */
export type AppStatus = 'new' | 'deploying' | 'live' | 'degraded' | 'error' | 'stopped' | 'unreachable';

export interface AppSummary {
  name: string;
  server: string;
  status: AppStatus;
  components: ComponentSummary[];
  /** Where the app answers as one URL, routed by path to its components (ingress / routes), once deployed; absent when each service has only its own. */
  url?: string;
  liveDeployment: Pick<Deployment, 'id' | 'cause' | 'sourceRevision' | 'createdAt'> | null;
  /** The deployment in flight, if any, with its phase. */
  activeDeployment: Pick<Deployment, 'id' | 'cause' | 'phase'> | null;
  /** The newest deployment that failed, when nothing went live after it: why the app is not on its latest version. */
  failedDeployment: (Pick<Deployment, 'id' | 'cause' | 'createdAt'> & { message: string }) | null;
  /**
   * Set while the app is pinned to a rollback (after DigitalOcean): `deployment` is the rollback,
   * `previous` what was live before it. Deploys are refused until it is committed or reverted.
   */
  pinned?: { deployment: string; target: string; previous: string | null };
  createdAt: string;
  updatedAt: string;
}

export interface AppDetail extends AppSummary {
  /** The current spec in YAML; secret values are masked. */
  specYaml: string;
  /** Where a local source lives; null for an app whose components all have git or image sources. */
  sourcePath: string | null;
  warnings: SpecProblem[];
  /**
   * For an app whose spec follows a file (created from one): the file, and how many fields of it
   * differ from the live spec (from the app's spec when nothing is live); `error` when it cannot be
   * read or does not load. Read when asked, never stored.
   */
  specFile?: { path: string; changedFields: number; error?: string };
  /** Its databases with their health (as `databases.list` gives them); never their passwords. */
  databases?: DatabaseSummary[];
}

/** Whether a rollback to a deployment would be accepted, without deploying (after DigitalOcean's rollback/validate). */
export interface RollbackValidation {
  valid: boolean;
  /** Why not, when not valid. */
  error?: { code: string; message: string };
  /** What the rollback would bring back that deserves a look: the target spec's warnings. */
  warnings: SpecProblem[];
}

export interface RollbackPreview {
  /** The deployment the rollback goes to. */
  target: string;
  /** A unified diff from the live spec to the target's, secret values masked. */
  diff: string;
  summary: {
    sourceRevision: { current: string | null; target: string | null };
    images: Array<{ component: string; current: string | null; target: string }>;
    /** Env keys by what a rollback does to them; values are never included. */
    envKeys: { added: string[]; removed: string[]; changed: string[] };
  };
}

export interface DeploymentQueue {
  running: Deployment | null;
  /** In the order they will run. */
  waiting: Deployment[];
}

export type AppEvent =
  | { type: 'app'; app: AppSummary }
  | { type: 'app-deleted'; app: string }
  | { type: 'deployment'; deployment: Deployment };

/** Apps, their deployments and their logs. */
export const appsContract = {
  /** Loads and validates a spec without creating anything: every error and warning at once. */
  validateSpec: method(
    z
      .object({
        specYaml: z.string().max(1024 * 1024),
        /** The folder its local components build from: a component Slipway cannot build from it is an error too. */
        sourcePath: z.string().min(1).max(4096).optional(),
      })
      .strict(),
    returns<SpecLoadResult>(),
  ),
  /** How each component would be built and run (recipe, versions, the generated Dockerfile), without building. */
  planSpec: method(specSource, returns<SpecPlanResult>()),
  /** Creates an app from a spec; refuses a spec with errors. */
  create: method(
    z.intersection(
      specSource,
      z
        .object({
          /** The app's own name, when it is not the spec's (the spec keeps its own). */
          name: appName.optional(),
          hostPorts,
          /** `local` (default) or the name of a server. */
          server: z
            .string()
            .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a server name')
            .optional(),
          /** On a server: build there (default), or build on this machine and ship the image (no registry). */
          buildMode: z.enum(['server', 'local']).optional(),
        })
        .strict(),
    ),
    returns<AppDetail>(),
  ),
  /** Replaces an app's spec; the next deployment uses it. */
  update: method(z.intersection(specSource, z.object({ app: appName, hostPorts }).strict()), returns<AppDetail>()),
  list: method(z.object({}).strict(), returns<AppSummary[]>()),
  get: method(z.object({ app: appName }).strict(), returns<AppDetail>()),
  /** Removes the app's containers, images and network (by label), its records and its logs. */
  /**
   * Deletes an app and everything Slipway made for it. Its databases' data volumes stay (named in `volumes.kept`)
   * unless `deleteData` is given.
   */
  delete: method(
    z.object({ app: appName, deleteData: z.boolean().default(false) }).strict(),
    returns<{ deleted: string; volumes: { kept: string[]; removed: string[] } }>(),
  ),
  /**
   * Queues a deployment. `latest`: fetch the source and build. `same-revision`: build the live
   * deployment's revision again. `forceRebuild` never reuses an image; `clearCache` builds with no cached layer.
   */
  deploy: method(
    z
      .object({
        app: appName,
        source: z.enum(['latest', 'same-revision']).default('latest'),
        forceRebuild: z.boolean().default(false),
        clearCache: z.boolean().default(false),
        /** Default: "Manual deployment", or "Rebuild deployment" for a redeploy or force rebuild. */
        title: deploymentTitle.optional(),
        description: deploymentDescription.optional(),
      })
      .strict(),
    returns<Deployment>(),
  ),
  listDeployments: method(z.object({ app: appName }).strict(), returns<Deployment[]>()),
  getDeployment: method(z.object({ app: appName, deployment: deploymentId }).strict(), returns<Deployment>()),
  /** Log lines written so far: build and deploy from the deployment's file, run from the containers. */
  readLogs: method(
    z
      .object({
        app: appName,
        type: z.enum(['build', 'deploy', 'run']),
        component: componentName.optional(),
        deployment: deploymentId.optional(),
        tail: z.number().int().min(1).max(100_000).optional(),
      })
      .strict(),
    returns<LogLine[]>(),
  ),
  /** Follows logs live from now on. */
  followLogs: stream(
    z
      .object({
        app: appName,
        type: z.enum(['build', 'deploy', 'run']),
        component: componentName.optional(),
        deployment: deploymentId.optional(),
      })
      .strict(),
    emits<LogLine[]>(),
  ),
  /** Queues a rolling restart of the named services and workers (all when none are named), without building. */
  restart: method(
    z.object({ app: appName, components: z.array(componentName).max(50).optional() }).strict(),
    returns<Deployment>(),
  ),
  /** The deployments a rollback can go to: the RETAINED_DEPLOYMENTS (10) most recent successful ones but the live one, newest first. */
  rollbackTargets: method(z.object({ app: appName }).strict(), returns<Deployment[]>()),
  /** What rolling back to a deployment (default: the previous one) would change. */
  rollbackPreview: method(
    z.object({ app: appName, deployment: deploymentId.optional() }).strict(),
    returns<RollbackPreview>(),
  ),
  /**
   * Queues a rollback to a deployment (default: the previous one): its images and spec, no build.
   * Once live, the app is pinned to it (deploys refused with ROLLBACK_PINNED) unless `skipPin`.
   */
  rollback: method(
    z.object({ app: appName, deployment: deploymentId.optional(), skipPin: z.boolean().default(false) }).strict(),
    returns<Deployment>(),
  ),
  /** Keeps the pinned rollback and unpins: a stored spec becomes the rolled-back one; a spec file is read again at the next deploy. */
  commitRollback: method(z.object({ app: appName }).strict(), returns<AppDetail>()),
  /** Queues a rollback to what was live before the pinned rollback (its images, no build); unpins once it is live. */
  revertRollback: method(z.object({ app: appName }).strict(), returns<Deployment>()),
  /** Whether a rollback to the deployment would be accepted, without deploying anything. */
  validateRollback: method(
    z.object({ app: appName, deployment: deploymentId }).strict(),
    returns<RollbackValidation>(),
  ),
  /** Cancels the deployment in flight; resolves with it once it has ended CANCELED. */
  cancel: method(z.object({ app: appName, by: actor }).strict(), returns<Deployment>()),
  /** Kills the app's running build step (that app's only); the deployment ends ERROR. */
  killBuild: method(z.object({ app: appName, by: actor }).strict(), returns<Deployment>()),
  /** The deployment in flight and the waiting ones. */
  queue: method(z.object({ app: appName }).strict(), returns<DeploymentQueue>()),
  /** Drops the waiting deployments, not the running one. */
  cleanQueue: method(z.object({ app: appName, by: actor }).strict(), returns<{ dropped: string[] }>()),
  /** Removes records and logs of deployments that are not live, in flight or a rollback target. */
  clearDeployments: method(z.object({ app: appName }).strict(), returns<{ removed: string[] }>()),
  /** Changes to apps and deployments, live. */
  events: stream(z.object({ app: appName.optional() }).strict(), emits<AppEvent>()),
};
