/*
 * `servers edge enable|status|disable`: a server's Slipway edge (Caddy in one container, see
 * edge/server-edge-container.ts), its settings on the server's record, and the routes of the apps
 * there that have `domains:`.
 */
import type { ServerEdgeStatus } from '../../../shared/domains/servers';
import { SlipwayError } from '../../../shared/errors';
import { routedComponents, routeOnServerEdge } from '../deploy/server-edge-routes';
import { edgePorts, edgeRoutes, initialEdgeConfig } from '../edge/caddy-config';
import { certificateOf, readEdgeCertificates } from '../edge/edge-certificates';
import { runningImageDigest } from '../edge/edge-image';
import { portUrl, removePublishers } from '../edge/edge-port-publisher';
import {
  canHostEdge,
  checkEdgePorts,
  createEdge,
  EDGE_CONTAINER,
  edgeAdmin,
  inspectEdge,
  removeEdge,
  removeEdgeContainer,
  type EdgeHost,
} from '../edge/server-edge-container';
import type { EngineContext } from '../engine-context';
import type { DockerHost } from '../hosts/docker-host';
import { loadStoredSpec } from '../store/stored-spec';
import type { ServerEdgeSettings, ServerRecord } from '../store/state-store';

export interface EdgeEnableRequest {
  name: string;
  httpPort: number;
  httpsPort: number;
  bind: string;
  tls: 'acme' | 'internal' | 'off';
  acmeEmail?: string;
  image: string;
}

export class ServerEdge {
  constructor(
    private readonly ctx: EngineContext,
    private readonly hostOf: (server: string) => Promise<DockerHost>,
  ) {}

  private record(name: string): ServerRecord {
    const record = this.ctx.store.state.servers.find((s) => s.name === name);
    if (!record) throw new SlipwayError('SERVER_NOT_FOUND', `No server is named ${name}.`);
    return record;
  }

  private async edgeHost(name: string): Promise<EdgeHost> {
    this.record(name);
    const host = await this.hostOf(name);
    if (!canHostEdge(host))
      throw new SlipwayError('INVALID_REQUEST', `${name} is not reached over SSH; it has no server edge.`);
    return host;
  }

  /** Apps on the server whose live version the edge serves: by their domains, or on a port of their own. */
  private appsServed(server: string) {
    return this.ctx.store.state.apps.flatMap((app) => {
      if (app.server !== server) return [];
      const live = this.ctx.liveDeployment(app.name);
      const spec = live ? loadStoredSpec(live.specYaml).spec : null;
      return live && spec && routedComponents(spec).size > 0 ? [{ app, live, spec }] : [];
    });
  }

  async enable(request: EdgeEnableRequest): Promise<ServerEdgeStatus> {
    const host = await this.edgeHost(request.name);
    if (request.tls === 'acme' && request.bind === '127.0.0.1') {
      throw new SlipwayError(
        'INVALID_REQUEST',
        'ACME cannot reach an edge bound to 127.0.0.1; use --tls internal or off.',
      );
    }
    const settings: ServerEdgeSettings = {
      httpPort: request.httpPort,
      httpsPort: request.httpsPort,
      bind: request.bind,
      tls: request.tls,
      ...(request.acmeEmail ? { acmeEmail: request.acmeEmail } : {}),
      image: request.image,
      enabledAt: new Date().toISOString(),
    };
    // Checked before the old edge goes, so a refused change leaves the running edge as it was.
    await checkEdgePorts(host, settings);
    const previous = this.record(request.name).edge;
    // The volumes stay: the internal CA's root and the saved routes outlive a change of ports or image.
    await removeEdgeContainer(host, this.ctx.owner);
    try {
      await createEdge(host, this.ctx.localHost, this.ctx.owner, settings);
    } catch (err) {
      // Put the edge that served back, so a failed change does not take the apps' URLs down.
      if (previous)
        await createEdge(host, this.ctx.localHost, this.ctx.owner, {
          ...previous,
          image: previous.pinnedImage ?? previous.image,
        }).catch(() => undefined);
      throw err;
    }
    // `--resume` started it from its saved config; the new settings (TLS, CA) replace that, routes follow below.
    await (await edgeAdmin(host)).load(initialEdgeConfig(settings));
    settings.pinnedImage = await runningImageDigest(host, EDGE_CONTAINER);
    await this.ctx.store.update((state) => {
      const record = state.servers.find((s) => s.name === request.name);
      if (record) record.edge = settings;
    });
    // One app that cannot be served (its port taken, say) leaves the others served, and is named after.
    const refused: string[] = [];
    for (const { app, live, spec } of this.appsServed(request.name)) {
      try {
        await this.recordPublicUrls(live.id, await routeOnServerEdge(this.ctx, app, host, spec, live.containers));
      } catch (err) {
        refused.push(`${app.name}: ${(err as Error).message}`);
      }
    }
    if (refused.length > 0) {
      throw new SlipwayError(
        'EDGE_FAILED',
        `The edge of ${request.name} is on, but it does not serve ${refused.length === 1 ? 'this app' : 'these apps'} yet: ${refused.join('; ')}`,
        { refused },
      );
    }
    return this.status(request.name);
  }

  /** The live deployment's endpoints say where the edge serves them now: each component's `urls`, none elsewhere. */
  private async recordPublicUrls(deployment: string, urls: ReadonlyMap<string, string[]>): Promise<void> {
    await this.ctx.store.update((state) => {
      const d = state.deployments.find((x) => x.id === deployment);
      for (const endpoint of d?.endpoints ?? []) {
        const mine = urls.get(endpoint.component);
        if (mine && mine.length > 0) endpoint.publicUrls = [...mine];
        else delete endpoint.publicUrls;
      }
    });
  }

  async status(name: string): Promise<ServerEdgeStatus> {
    const settings = this.record(name).edge;
    if (!settings) return { server: name, enabled: false, routes: [] };
    const host = await this.edgeHost(name);
    const info = await inspectEdge(host);
    const config = info?.State.Running ? (await (await edgeAdmin(host)).config()).config : null;
    const routes = edgeRoutes(config);
    const { stored, errors } =
      routes.length > 0
        ? await readEdgeCertificates(
            host,
            EDGE_CONTAINER,
            routes.map((r) => r.domain),
            settings.tls,
          )
        : {};
    return {
      server: name,
      enabled: true,
      httpPort: settings.httpPort,
      httpsPort: settings.httpsPort,
      bind: settings.bind,
      tls: settings.tls,
      image: settings.image,
      ...(settings.pinnedImage ? { pinnedImage: settings.pinnedImage } : {}),
      container: info?.State.Status ?? 'missing',
      routes: routes.map((r) => ({
        ...r,
        certificate: certificateOf(r.domain, settings.tls, stored ?? new Map(), errors ?? new Map()),
      })),
      ports: edgePorts(config).map((p) => ({ ...p, url: portUrl(settings.bind, this.record(name).host, p.port) })),
    };
  }

  async disable(name: string): Promise<{ server: string; removed: string[]; appsLosingUrl: string[] }> {
    const host = await this.edgeHost(name);
    const appsLosingUrl = this.appsServed(name).map((a) => a.app.name);
    const removed = [...(await removePublishers(host, this.ctx.owner)), ...(await removeEdge(host, this.ctx.owner))];
    for (const { live } of this.appsServed(name)) await this.recordPublicUrls(live.id, new Map());
    await this.ctx.store.update((state) => {
      const record = state.servers.find((s) => s.name === name);
      if (record) delete record.edge;
    });
    return { server: name, removed, appsLosingUrl };
  }
}
