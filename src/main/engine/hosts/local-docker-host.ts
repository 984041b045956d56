import { connect } from 'node:net';
import Docker from 'dockerode';
import type { DockerHost } from './docker-host';

/** Where the local engine is reached, in DOCKER_HOST's notation, for messages and the UI. */
export function localDockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  return process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';
}

/** The Docker engine on this machine: DOCKER_HOST when set, else the platform's socket or pipe. */
export function localDockerHost(): DockerHost & { endpoint: string } {
  // dockerode reads DOCKER_HOST (and the Docker Desktop per-user socket) itself.
  const docker = new Docker();
  return {
    name: 'local',
    endpoint: localDockerEndpoint(),
    docker,
    // The socket is opened per request: there is no connection to lose.
    closed: new Promise<void>(() => undefined),
    connected: true,
    connectLoopback: (port) =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      }),
    async close() {
      // Unix-socket requests hold nothing open between calls.
    },
  };
}
