import { contract } from '../../shared/contract';
import { createRouter, type Router } from '../../shared/rpc/router';
import type { DockerHost } from './hosts/docker-host';
import { localDockerHost } from './hosts/local-docker-host';
import { createSystemService } from './system/system-service';

export interface EngineOptions {
  /** The local Docker engine; defaults to DOCKER_HOST or the platform's socket. */
  localHost?: DockerHost & { endpoint: string };
}

export interface Engine {
  /** The contract's router: every transport hands its calls to this. */
  readonly router: Router;
  close(): Promise<void>;
}

/** Builds Slipway's engine and binds it to the contract. */
export function createEngine(options: EngineOptions = {}): Engine {
  const localHost = options.localHost ?? localDockerHost();
  const system = createSystemService(localHost);
  const router = createRouter(contract, {
    system: {
      info: () => system.info(),
      containerEvents: (params, emit) => system.containerEvents(params, emit),
    },
  });
  return {
    router,
    async close() {
      await localHost.close();
    },
  };
}
