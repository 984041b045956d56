import { describe, expect, it } from 'vitest';
import type { AppSpec } from './app-spec';
import { loadAppSpec } from './load-spec';
import { appPathRoutes, normalisePrefix, routesByPath } from './path-routes';

function spec(yaml: string): AppSpec {
  const result = loadAppSpec(yaml);
  if (!result.spec) throw new Error(`the spec did not load: ${JSON.stringify(result.errors)}`);
  return result.spec;
}

const route = (prefix: string, component: string, preservePathPrefix = false) => ({
  prefix,
  component,
  preservePathPrefix,
});

describe('appPathRoutes and routesByPath', () => {
  it('take the ingress rules, longest prefix first', () => {
    const app = spec(`
name: shop
services: [{ name: web }, { name: api, routes: [{ path: /ignored }] }]
ingress:
  rules:
    - { component: { name: web }, match: { path: { prefix: / } } }
    - { component: { name: api }, match: { path: { prefix: /api } } }
`);
    expect(appPathRoutes(app)).toEqual([route('/api', 'api'), route('/', 'web')]);
    expect(routesByPath(app)).toBe(true);
  });

  it("take every service's and static site's routes when there is no ingress, normalised", () => {
    const app = spec(`
name: shop
services:
  - { name: web, routes: [{ path: / }] }
  - { name: api, routes: [{ path: /api/, preserve_path_prefix: true }] }
static_sites: [{ name: docs, routes: [{ path: /docs }] }]
workers: [{ name: queue }]
`);
    expect(appPathRoutes(app)).toEqual([route('/docs', 'docs'), route('/api', 'api', true), route('/', 'web')]);
    expect(routesByPath(app)).toBe(true);
  });

  it('serve / from the first service or static site when no route names a path', () => {
    const app = spec('name: shop\nworkers: [{ name: queue }]\nservices: [{ name: web }, { name: api }]\n');
    expect(appPathRoutes(app)).toEqual([route('/', 'web')]);
    expect(routesByPath(app)).toBe(false);
    const site = spec('name: blog\nstatic_sites: [{ name: site }]\n');
    expect(appPathRoutes(site)).toEqual([route('/', 'site')]);
  });

  it('give / to the first component without routes when no route holds it', () => {
    const app = spec(`
name: shop
services: [{ name: web }, { name: api, routes: [{ path: /api }] }, { name: admin }]
`);
    expect(appPathRoutes(app)).toEqual([route('/api', 'api'), route('/', 'web')]);
  });

  it('route by path for one component on a prefix other than /', () => {
    const app = spec('name: shop\nservices: [{ name: api, routes: [{ path: /api }] }]\n');
    expect(appPathRoutes(app)).toEqual([route('/api', 'api')]);
    expect(routesByPath(app)).toBe(true);
  });

  it('do not route by path for one component at / from ingress', () => {
    const app = spec('name: shop\nservices: [{ name: web }]\ningress: { rules: [{ component: { name: web } }] }\n');
    expect(appPathRoutes(app)).toEqual([route('/', 'web')]);
    expect(routesByPath(app)).toBe(false);
  });

  it("fall back to the components' routes when ingress only redirects", () => {
    const app = spec(`
name: shop
services: [{ name: web, routes: [{ path: /shop }] }]
ingress: { rules: [{ redirect: { uri: /new }, match: { path: { prefix: /old } } }] }
`);
    expect(app.ingress).toEqual([]);
    expect(appPathRoutes(app)).toEqual([route('/shop', 'web')]);
  });

  it('keep the first of two routes that are one prefix once normalised', () => {
    const app = spec(
      'name: shop\nservices:\n  - { name: web, routes: [{ path: /a }] }\n  - { name: api, routes: [{ path: /a/ }] }\n',
    );
    expect(appPathRoutes(app)).toEqual([route('/a', 'web')]);
  });

  it('are empty for an app with only workers and jobs', () => {
    const app = spec('name: shop\nworkers: [{ name: queue }]\njobs: [{ name: migrate }]\n');
    expect(appPathRoutes(app)).toEqual([]);
    expect(routesByPath(app)).toBe(false);
  });
});

describe('normalisePrefix', () => {
  it('drops trailing slashes but keeps the root', () => {
    expect([normalisePrefix('/api/'), normalisePrefix('/api//'), normalisePrefix('/'), normalisePrefix('//')]).toEqual([
      '/api',
      '/api',
      '/',
      '/',
    ]);
  });
});
