import type { Readable } from 'node:stream';
import type { ContainerEvent, SystemInfo } from '../../../shared/domains/system';
import { LABELS } from '../../../shared/labels';
import { SLIPWAY_VERSION } from '../../../shared/version';
import type { Unsubscribe } from '../../../shared/rpc/transport';
import type { DockerHost } from '../hosts/docker-host';
import { dockerUnreachable, isConnectionError } from '../docker/docker-errors';
import { jsonLineSplitter } from '../docker/json-lines';

interface DockerEventMessage {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
}

/** Implements the `system` domain against one Docker host. */
export function createSystemService(host: DockerHost & { endpoint: string }) {
  return {
    /** Slipway's version and the Docker engine's, or DOCKER_UNREACHABLE. */
    async info(): Promise<SystemInfo> {
      try {
        const version = await host.docker.version();
        return {
          slipwayVersion: SLIPWAY_VERSION,
          docker: {
            endpoint: host.endpoint,
            version: version.Version,
            apiVersion: version.ApiVersion,
            os: version.Os,
            arch: version.Arch,
          },
        };
      } catch (err) {
        if (isConnectionError(err)) throw dockerUnreachable(host.endpoint, err);
        throw err;
      }
    },

    /** Streams the engine's container events until the returned function is called. */
    async containerEvents(
      params: { managedOnly: boolean },
      emit: (event: ContainerEvent) => void,
    ): Promise<Unsubscribe> {
      const filters: Record<string, string[]> = { type: ['container'] };
      if (params.managedOnly) filters.label = [`${LABELS.managed}=true`];
      let events: Readable;
      try {
        events = (await host.docker.getEvents({ filters })) as Readable;
      } catch (err) {
        if (isConnectionError(err)) throw dockerUnreachable(host.endpoint, err);
        throw err;
      }
      events.on(
        'data',
        jsonLineSplitter((raw) => {
          const message = raw as DockerEventMessage;
          if (message.Type !== 'container' || !message.Actor?.ID) return;
          emit(toContainerEvent(message));
        }),
      );
      // The stream ends when the engine goes away; the subscriber learns of it from system.info.
      events.on('error', () => undefined);
      return () => events.destroy();
    },
  };
}

function toContainerEvent(message: DockerEventMessage): ContainerEvent {
  const attributes = message.Actor?.Attributes ?? {};
  const event: ContainerEvent = {
    action: message.Action ?? 'unknown',
    containerId: message.Actor?.ID ?? '',
    containerName: attributes.name ?? '',
    image: attributes.image ?? '',
    time: message.time ?? 0,
  };
  if (attributes[LABELS.app]) event.app = attributes[LABELS.app];
  if (attributes[LABELS.component]) event.component = attributes[LABELS.component];
  if (attributes[LABELS.deployment]) event.deployment = attributes[LABELS.deployment];
  return event;
}
