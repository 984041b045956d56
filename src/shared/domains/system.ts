import { z } from 'zod';
import { emits, method, returns, stream } from '../rpc/contract';

export interface DockerEngineInfo {
  /** Where the engine was reached, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  version: string;
  apiVersion: string;
  os: string;
  arch: string;
}

export interface SystemInfo {
  slipwayVersion: string;
  docker: DockerEngineInfo;
}

/** Where Slipway keeps what it knows, on this machine. */
export interface StorageInfo {
  /** The state: apps, servers and deployment records (lowdb, 0600 files in a 0700 folder). */
  dataDir: string;
  /** One log file per deployment, in a folder per app. */
  logsDir: string;
  /** Slipway's own log: the errors it did not expect, secrets hidden. */
  engineLog: string;
  /** The 0600 file whose key seals secret values; null when another keeper (the desktop's keychain) holds it. */
  keyFile: string | null;
  /** Successful deployments per app whose images are kept for rollback. */
  retainedDeployments: number;
}

export interface ContainerEvent {
  /** What happened: `create`, `start`, `die`, `destroy`, ... */
  action: string;
  containerId: string;
  containerName: string;
  image: string;
  /** Slipway's labels on the container, when it is one of Slipway's. */
  app?: string;
  component?: string;
  deployment?: string;
  /** Seconds since the epoch, as the Docker engine reports it. */
  time: number;
}

/** Facts about Slipway itself and the local Docker engine. */
export const systemContract = {
  /** Slipway's version and the local Docker engine's; throws DOCKER_UNREACHABLE when the engine does not answer. */
  info: method(z.object({}).strict(), returns<SystemInfo>()),
  /** Where the state, the logs and the secrets' key live; answers without the Docker engine. */
  storage: method(z.object({}).strict(), returns<StorageInfo>()),
  /** Container events of the local Docker engine, live. */
  containerEvents: stream(
    z
      .object({
        /** Only containers Slipway manages (label `dev.slipway.managed=true`). */
        managedOnly: z.boolean().default(false),
      })
      .strict(),
    emits<ContainerEvent>(),
  ),
};
