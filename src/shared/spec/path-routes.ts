/*
 * Which component serves which path of the app's URL, as one table for whatever routes requests (the server's edge,
 * a local proxy): DigitalOcean's `ingress.rules` when the spec has them, which then decide alone, else the
 * components' own `routes`, else the first component that answers HTTP at `/`.
 */
import { servesHttp } from '../component-kinds';
import type { AppSpec, PathRoute } from './app-spec';

/** A path prefix as routes compare it: `/api/` and `/api` are the same prefix; `/` stays `/`. */
export function normalisePrefix(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** The app's path routes, longest prefix first: its ingress rules when it has them, else every service's and static site's `routes`, and `/` for the first one without routes when no route holds `/`. */
export function appPathRoutes(spec: AppSpec): PathRoute[] {
  const ingress = spec.ingress !== undefined && spec.ingress.length > 0;
  const listed = ingress ? [...spec.ingress!] : componentRoutes(spec);
  if (!ingress && !listed.some((r) => r.prefix === '/')) {
    // As before routes were read: `/` is the first HTTP component's, unless it names paths of its own.
    const first = spec.components.find((c) => servesHttp(c) && c.httpPort !== null && c.routes.length === 0);
    if (first) listed.push({ prefix: '/', component: first.name, preservePathPrefix: false });
  }
  // Stable, so that prefixes of one length keep the spec's order.
  return listed.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** Whether the app routes by path: its routes lead to more than one component, or to a prefix other than `/`. */
export function routesByPath(spec: AppSpec): boolean {
  const routes = appPathRoutes(spec);
  return new Set(routes.map((r) => r.component)).size > 1 || routes.some((r) => r.prefix !== '/');
}

function componentRoutes(spec: AppSpec): PathRoute[] {
  const out: PathRoute[] = [];
  const taken = new Set<string>();
  for (const component of spec.components) {
    if (!servesHttp(component) || component.httpPort === null) continue;
    for (const route of component.routes) {
      const prefix = normalisePrefix(route.path);
      // The loader refuses a path used twice as written; `/api` and `/api/` only meet here, and the first one wins.
      if (taken.has(prefix)) continue;
      taken.add(prefix);
      out.push({ prefix, component: component.name, preservePathPrefix: route.preservePathPrefix });
    }
  }
  return out;
}
