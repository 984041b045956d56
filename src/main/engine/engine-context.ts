import type { AppEvent } from '../../shared/domains/apps';
import type { Deployment } from '../../shared/deployment';
import type { ServiceRouter } from './edge/service-router';
import type { DockerHost } from './hosts/docker-host';
import type { DeploymentLogs } from './logs/deployment-logs';
import type { SecretBox } from './secrets/secret-box';
import type { StateStore } from './store/state-store';

/** What the deployment machinery shares: the hosts, the state, logs, secrets and the edge. */
export interface EngineContext {
  /** This machine's Docker engine. */
  localHost: DockerHost;
  /** The Docker host of a server (`local` or a server's name), over its one SSH connection. */
  hostFor(server: string): Promise<DockerHost>;
  /** False when a server is known not to answer now (offline, or its host key is not trusted). */
  serverAnswers(server: string): boolean;
  /** Where the stable ports of an app on that server are served (always on this machine). */
  edgeFor(server: string): ServiceRouter;
  /** This installation's id, on everything it creates (store/installation-id.ts). */
  owner: string;
  store: StateStore;
  logs: DeploymentLogs;
  secrets: SecretBox;
  dataDir: string;
  /** Applies a change to a stored deployment, tells the listeners, and has it written (see StateStore.note). */
  saveDeployment(deployment: Deployment, change: (d: Deployment) => void): Promise<void>;
  /** The app's ACTIVE deployment, if any. */
  liveDeployment(app: string): Deployment | undefined;
  emit(event: AppEvent): void;
  /**
   * Reconciles once the Docker engines of a server (and this machine's) answer
   * again: what a failed deployment left there is removed, and routes follow
   * containers that a restarted engine gave new ports.
   */
  reconcileWhenBack(server: string): void;
}
