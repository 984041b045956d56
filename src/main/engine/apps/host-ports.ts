import { SlipwayError } from '../../../shared/errors';
import { APP_ROUTE } from '../edge/app-route';
import type { AppRecord } from '../store/state-store';

/**
 * Refuses host ports that name a component the spec does not have, give one
 * port to two components, or take a port another app holds. The app's own URL
 * (routed by path) keeps its port under APP_ROUTE, whatever the spec says now.
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
    if (component !== APP_ROUTE && !components.includes(component)) {
      throw new SlipwayError('INVALID_REQUEST', `hostPorts.${component}: the spec has no component ${component}.`);
    }
    const taken = apps.find((a) => a.name !== app && Object.values(a.hostPorts).includes(port));
    if (taken) {
      throw new SlipwayError('INVALID_REQUEST', `hostPorts.${component}: port ${port} is used by app ${taken.name}.`);
    }
  }
}
