import { SlipwayError } from '../../../shared/errors';
import type { AppRecord } from '../store/state-store';

/**
 * Refuses host ports that name a component the spec does not have, give one
 * port to two components, or take a port another app holds.
 */
export function checkHostPorts(
  apps: readonly AppRecord[],
  app: string,
  components: string[],
  hostPorts: Record<string, number>,
): void {
  const seen = new Map<number, string>();
  for (const [component, port] of Object.entries(hostPorts)) {
    const twin = seen.get(port);
    if (twin) {
      throw new SlipwayError('INVALID_REQUEST', `hostPorts.${component}: port ${port} is given to ${twin} already.`);
    }
    seen.set(port, component);
    if (!components.includes(component)) {
      throw new SlipwayError('INVALID_REQUEST', `hostPorts.${component}: the spec has no component ${component}.`);
    }
    const taken = apps.find((a) => a.name !== app && Object.values(a.hostPorts).includes(port));
    if (taken) {
      throw new SlipwayError('INVALID_REQUEST', `hostPorts.${component}: port ${port} is used by app ${taken.name}.`);
    }
  }
}
