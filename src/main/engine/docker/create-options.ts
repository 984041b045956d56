import type Docker from 'dockerode';
import { slipwayLabels } from './labels';

/** What every container of a deployment is made from: its image, its environment and where it runs. */
export interface ContainerRequest {
  /** This installation's id (see store/installation-id.ts). */
  owner: string;
  app: string;
  component: string;
  deployment: string;
  image: string;
  env: string[];
  runCommand: string | null;
  /** The app's network, where components find each other by name; null for Docker's default bridge. */
  network: string | null;
}

/** One instance of a service or worker. */
export interface InstanceRequest extends ContainerRequest {
  index: number;
  /** The port the service listens on inside the container; published on the host's 127.0.0.1. */
  httpPort: number | null;
  /** Restarted by Docker unless stopped: services and workers. Jobs run once. */
  restart: boolean;
}

/** The container of a PRE_DEPLOY or POST_DEPLOY job: it runs once. */
export type JobContainerRequest = ContainerRequest;

/** `8080/tcp`: Docker's key for the port an instance publishes, or null when it publishes none. */
export function instancePortKey(request: Pick<InstanceRequest, 'httpPort'>): string | null {
  return request.httpPort ? `${request.httpPort}/tcp` : null;
}

/** The create options of one labelled instance, its port published on 127.0.0.1 and its name an alias on the app's network. */
export function instanceCreateOptions(request: InstanceRequest): Docker.ContainerCreateOptions {
  const network = request.network;
  const portKey = instancePortKey(request);
  const common = commonCreateOptions(request, request.restart ? 'unless-stopped' : 'no');
  return {
    name: `slipway-${request.app}-${request.component}-${request.deployment}-${request.index}`,
    ...common,
    HostConfig: {
      ...common.HostConfig,
      ...(portKey ? { PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
    },
    ...(network ? { NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [request.component] } } } } : {}),
    ...(portKey ? { ExposedPorts: { [portKey]: {} } } : {}),
  };
}

/** The create options of a job's container: never restarted, nothing published. */
export function jobCreateOptions(request: JobContainerRequest): Docker.ContainerCreateOptions {
  return {
    name: `slipway-${request.app}-${request.component}-${request.deployment}-job`,
    ...commonCreateOptions(request, 'no'),
  };
}

/** What instances and jobs share: image, env, labels with the owner, an init, the restart policy, network, run_command. */
function commonCreateOptions(request: ContainerRequest, restart: 'unless-stopped' | 'no') {
  return {
    Image: request.image,
    Env: request.env,
    Labels: slipwayLabels(request.owner, request.app, request.component, request.deployment),
    HostConfig: {
      // Busybox and many apps ignore SIGTERM as PID 1: an init forwards it and reaps zombies.
      Init: true,
      RestartPolicy: { Name: restart },
      ...(request.network ? { NetworkMode: request.network } : {}),
    } satisfies Docker.HostConfig,
    // run_command runs inside the user's own container, the way App Platform runs it.
    ...(request.runCommand ? { Cmd: ['/bin/sh', '-c', request.runCommand] } : {}),
  };
}
