/*
 * What must be unique across the whole spec, not just within one component: component names and route paths.
 */
import type { PlacedComponent } from './load-component';
import { formatPath, type Path, type ProblemList } from './spec-problems';

/** Reports each component name used a second time, at the second one. */
export function checkDuplicateNames(named: readonly { name: string; path: Path }[], problems: ProblemList): void {
  const seen = new Map<string, Path>();
  for (const { name, path } of named) {
    const first = seen.get(name);
    if (first) {
      problems.error(
        [...path, 'name'],
        `duplicate component name ${name}: also ${formatPath(first)}; names must be unique across services, workers and jobs`,
      );
    } else {
      seen.set(name, path);
    }
  }
}

/** Reports each route path already taken by a service, at the second one. */
export function checkDuplicateRoutes(loaded: readonly PlacedComponent[], problems: ProblemList): void {
  const seen = new Map<string, Path>();
  for (const { spec, path } of loaded) {
    spec?.routes.forEach((route, i) => {
      const first = seen.get(route.path);
      if (first) {
        problems.error(
          [...path, 'routes', i, 'path'],
          `route ${route.path} is already used by ${formatPath(first)}; each path may lead to one service only`,
        );
      } else {
        seen.set(route.path, path);
      }
    });
  }
}
