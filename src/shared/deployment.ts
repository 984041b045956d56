/**
 * The deployment model, after DigitalOcean App Platform: a deployment has a
 * cause, a snapshot of the spec, the images it ran, a phase and a tree of steps.
 */

export const DEPLOYMENT_PHASES = [
  'PENDING_BUILD',
  'BUILDING',
  'PENDING_DEPLOY',
  'DEPLOYING',
  'ACTIVE',
  'SUPERSEDED',
  'ERROR',
  'CANCELED',
  /** Taken out of the queue before it ran ("clean queue"): nothing was built or started. */
  'DROPPED',
] as const;
export type DeploymentPhase = (typeof DEPLOYMENT_PHASES)[number];

/** Phases of a deployment still in flight: building or deploying. */
export const RUNNING_PHASES: readonly DeploymentPhase[] = ['PENDING_BUILD', 'BUILDING', 'PENDING_DEPLOY', 'DEPLOYING'];

/** Phases after which a deployment never changes again (but ACTIVE → SUPERSEDED). */
export const FINISHED_PHASES: readonly DeploymentPhase[] = ['ACTIVE', 'SUPERSEDED', 'ERROR', 'CANCELED', 'DROPPED'];

export type StepStatus = 'PENDING' | 'RUNNING' | 'SUCCESS' | 'ERROR' | 'SKIPPED';

export interface DeploymentStep {
  /** Stable within a deployment, e.g. `build`, `build.web`, `deploy.web.wait`. */
  name: string;
  title: string;
  status: StepStatus;
  /** Why it failed or was skipped. */
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  steps?: DeploymentStep[];
}

export interface ComponentImage {
  /** `slipway/<app>-<component>:<deployment-id>` */
  tag: string;
  /** The image's id (sha256:...). */
  id: string;
  /** True when the image was built in this deployment, false when reused or pulled. */
  built: boolean;
}

export interface ServiceEndpoint {
  component: string;
  /** Where the user opens it: `http://127.0.0.1:<port>`. */
  url: string;
  hostPort: number;
  /** Where the server's edge serves it to the world (the app's domains), when it does. */
  publicUrls?: string[];
}

export interface DeploymentError {
  code: string;
  message: string;
  /** The last lines of the failing build or container, secrets redacted. */
  lastLogLines?: string[];
}

/** What a deployment does before it starts containers. */
export type DeploymentPlan =
  /** Fetch the source (the branch head, or the given git revision) and build, or reuse an unchanged image. */
  | { type: 'build'; revision: string | null }
  /** Replace the containers of some components with fresh ones of the live images, one instance at a time. */
  | { type: 'restart'; components: string[]; base: string }
  /**
   * Deploy a previous deployment's images and spec again, without building. `pin`: at go-live, pin
   * the app to it (`set`, a rollback) or unpin it (`clear`, a revert); absent leaves the pin as it is.
   */
  | { type: 'rollback'; target: string; pin?: 'set' | 'clear' };

/**
 * What a deployment was built from: a git commit with its subject, or a local folder's build
 * contexts by content (`filesChanged`: against the last deployment that read the folder; null when
 * there is none to compare with).
 */
export type DeploymentSource =
  | { kind: 'git'; commit: string; subject: string }
  | { kind: 'folder'; contentHash: string; files: number; filesChanged: number | null };

export interface Deployment {
  id: string;
  app: string;
  plan: DeploymentPlan;
  /** `manual`, `redeploy`, `force rebuild`, `restart`, `rollback to <id>`, ... */
  cause: string;
  /** What the user called it (after Dokploy); else "Manual deployment", "Rebuild deployment" or the cause. */
  title?: string;
  /** The user's note on it, shown in the history and the deploy log. */
  description?: string;
  phase: DeploymentPhase;
  /** The spec as deployed, in YAML, with secret values sealed. */
  specYaml: string;
  /** The git commit deployed, or null for a local folder. */
  sourceRevision: string | null;
  /** The source it was built from, once fetched; a restart or rollback has its base's. */
  source?: DeploymentSource;
  images: Record<string, ComponentImage>;
  /** Container ids per component. */
  containers: Record<string, string[]>;
  endpoints: ServiceEndpoint[];
  progress: DeploymentStep[];
  options: { forceRebuild: boolean; clearCache: boolean };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  error?: DeploymentError;
  /** Who canceled it and when, for CANCELED deployments. */
  canceled?: { at: string; by: string };
  /** Who dropped it from the queue and when, for DROPPED deployments. */
  dropped?: { at: string; by: string };
  /**
   * Set when its engine (or server) did not answer while what it made was
   * removed: the removal is done again once that engine answers.
   */
  cleanupPending?: boolean;
}

export type LogType = 'build' | 'deploy' | 'run';

export interface LogLine {
  type: LogType;
  /**
   * The line's place in its deployment's log file: 1 for the first line written
   * to the file, then one more for each line, whatever its type or component
   * (so a filtered view sees gaps, never a step back). A line read back from
   * the file carries the number it was written with, and the live stream sends
   * the same number, so a reader that has read up to `seq` n takes from the
   * stream only the lines above n (numbers restart with each deployment: compare
   * them within one deployment's log only). The `run` log, read from the
   * containers, lines Slipway adds about the stream itself (`notice`) and files
   * written before lines were numbered have none.
   */
  seq?: number;
  component?: string;
  /** ISO time the line was written. */
  time: string;
  line: string;
  /** Set on a line Slipway adds about the stream itself: the server's connection was lost, so it ends here. */
  notice?: 'connection-lost';
}
