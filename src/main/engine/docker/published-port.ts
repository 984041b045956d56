import type { ContainerInspectInfo } from 'dockerode';

/**
 * The host port a container publishes (for `portKey`, e.g. `8080/tcp`, or the
 * first one bound), from `docker inspect`; null when it publishes none.
 */
export function publishedPort(
  info: Pick<ContainerInspectInfo, 'NetworkSettings'> | null,
  portKey?: string,
): number | null {
  const ports = info?.NetworkSettings?.Ports ?? {};
  const bindings = portKey ? ports[portKey] : Object.values(ports).find((b) => b?.[0]?.HostPort);
  const hostPort = bindings?.[0]?.HostPort;
  return hostPort ? Number(hostPort) : null;
}
