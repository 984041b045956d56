import { SlipwayError } from '../../../shared/errors';
import { LABELS } from '../../../shared/labels';
import { foreignContainers } from '../docker/containers';
import { pickStablePort } from '../edge/host-ports';
import { serviceUrl } from '../edge/service-url';
import type { RunContext } from './run-context';
import { servesHttp } from '../../../shared/component-kinds';

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

/** Chooses, once per app, the stable host port of every service. */
export async function assignHostPorts(run: RunContext) {
  const { app, ctx } = run;
  const missing = run.spec.components.filter((c) => servesHttp(c) && !app.hostPorts[c.name]);
  if (missing.length === 0) return;
  const ports: Record<string, number> = {};
  // Stable across deploys once chosen; never a port another app holds (it may be stopped now).
  const taken = new Set(ctx.store.state.apps.flatMap((a) => Object.values(a.hostPorts)));
  for (const c of missing) taken.add((ports[c.name] = await pickStablePort(taken)));
  await ctx.store.update(() => Object.assign(app.hostPorts, ports));
}

/** The public URLs that `${APP_URL}` and `${<service>.PUBLIC_URL}` stand for. */
export function computeUrls(run: RunContext) {
  const { app, urls } = run;
  const services = run.spec.components.filter((c) => servesHttp(c) && app.hostPorts[c.name]);
  urls.publicUrls = new Map(services.map((c) => [c.name, serviceUrl(app.hostPorts[c.name]!)]));
  if (services[0]) urls.appUrl = urls.publicUrls.get(services[0].name);
}
