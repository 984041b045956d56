import type { ComponentKind } from './spec/app-spec';

/** Services and static sites answer HTTP: each has a port, a host port and URL, routes and an HTTP health check. */
export function servesHttp(component: { kind: ComponentKind }): boolean {
  return component.kind === 'service' || component.kind === 'static_site';
}
