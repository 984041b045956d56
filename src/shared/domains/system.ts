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
