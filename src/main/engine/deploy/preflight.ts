import { SlipwayError } from '../../../shared/errors';
import { LABELS } from '../../../shared/labels';
import { foreignContainers } from '../docker/containers';
import { pickStablePort } from '../edge/host-ports';
import { serviceUrl } from '../edge/service-url';
import type { RunContext } from './run-context';
import { servesHttp } from '../../../shared/component-kinds';
import { routesByPath } from '../../../shared/spec/path-routes';
import { APP_ROUTE } from '../edge/app-route';
import { edgeBaseUrls, publicUrlsByComponent } from './server-edge-routes';

/** An app of this name that another Slipway installation runs on the host is theirs: never replace it. */
export async function refuseAnotherInstallationsApp(run: RunContext) {
  const { host, app } = run;
  const theirs = await foreignContainers(host, run.ctx.owner, app.name);
  if (theirs.length === 0) return;
  const owner = theirs[0]!.Labels[LABELS.owner];
  throw new SlipwayError(
    'APP_EXISTS',
    `${host.name === 'local' ? 'This machine' : `Server ${host.name}`} already runs an app named ${app.name} for another Slipway installation (owner ${owner}); nothing was changed. Give this app another name (name: in its spec), or delete it there from the installation that made it.`,
    { app: app.name, server: host.name, owner },
  );
}

/** Chooses, once per app, the stable host port of every service, and of the app's URL when it routes by path. */
export async function assignHostPorts(run: RunContext) {
  const { app, ctx } = run;
  const missing = run.spec.components.filter((c) => servesHttp(c) && !app.hostPorts[c.name]).map((c) => c.name);
  if (routesByPath(run.spec) && !app.hostPorts[APP_ROUTE]) missing.push(APP_ROUTE);
  if (missing.length === 0) return;
  const ports: Record<string, number> = {};
  // Stable across deploys once chosen; never a port another app holds (it may be stopped now).
  const taken = new Set(ctx.store.state.apps.flatMap((a) => Object.values(a.hostPorts)));
  for (const name of missing) taken.add((ports[name] = await pickStablePort(taken)));
  await ctx.store.update(() => Object.assign(app.hostPorts, ports));
}

/**
 * The URLs that `${APP_URL}`, `${APP_DOMAIN}` and `${<service>.PUBLIC_URL}` stand for: on a server whose
 * edge serves the app, its first domain's or its own port's; else the app's URL routed by path, or its
 * first service's.
 */
export function computeUrls(run: RunContext) {
  const { app, urls, spec } = run;
  const edgeBases = app.server === 'local' ? [] : edgeBaseUrls(run.ctx, app, spec);
  const appPort = routesByPath(spec) ? app.hostPorts[APP_ROUTE] : undefined;
  const bases = edgeBases.length > 0 ? edgeBases : appPort ? [serviceUrl(appPort)] : [];
  const services = spec.components.filter((c) => servesHttp(c) && app.hostPorts[c.name]);
  // Every service has its own URL on this machine; a routed one has the app's URL with its path instead
  // (DigitalOcean's rule), on the server's edge where it serves the app.
  const publicUrls = new Map(services.map((c) => [c.name, serviceUrl(app.hostPorts[c.name]!)]));
  for (const [c, list] of publicUrlsByComponent(bases, spec)) publicUrls.set(c, list[0]!);
  urls.publicUrls = publicUrls;
  urls.appUrl = bases[0] ?? (services[0] && publicUrls.get(services[0].name));
}
