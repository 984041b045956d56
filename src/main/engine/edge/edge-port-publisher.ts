/*
 * An app without a domain is served on a port of its own. Docker publishes ports only when a container
 * is made, and remaking the edge for each new app would cut every other app's traffic, so each such
 * app gets a small publisher: a Caddy of the edge's image (admin API off, a fixed config) publishing
 * the port and passing every request to the edge, which listens on the same port inside its own
 * container and routes it with the ETag-guarded switch the domains use. Like the edge, it is labelled,
 * restarted by Docker, and dials the edge by name, so it serves after a reboot with Slipway closed.
 */
import type Docker from 'dockerode';
import { SlipwayError } from '../../../shared/errors';
import { LABELS } from '../../../shared/labels';
import { oneFileTar } from '../base/one-file-tar';
import type { DockerHost } from '../hosts/docker-host';
import { LOAD_BALANCING, type CaddyConfig } from './caddy-config';
import { provideImage } from './edge-image';
import {
  bindFailed,
  EDGE_CONTAINER,
  EDGE_LABEL,
  EDGE_NETWORK,
  edgeLabels,
  ensureNetwork,
  inspectNamed,
  type EdgeContainerSettings,
} from './server-edge-container';

/** Where Slipway looks for a port for an app without a domain: below its own stable ports (20000 on). */
export const EDGE_APP_PORTS = { from: 10_000, to: 10_999 } as const;
const PICK_TRIES = 20;
const ROLE = 'port';
/** Which app a publisher serves (it carries no app label, so an app's cleanup of strays never takes it). */
const APP_LABEL = 'dev.slipway.edge-app';
const CONFIG_FILE = 'slipway-port.json';

/** The publisher container of an app served on its own port. */
export const publisherName = (app: string) => `slipway-edge-port-${app}`;

/** The publisher's whole config: its port, to the edge's listener of the same number. */
export function publisherConfig(port: number): CaddyConfig {
  return {
    admin: { disabled: true },
    apps: {
      http: {
        servers: {
          publish: {
            listen: [`:${port}`],
            routes: [
              {
                handle: [
                  {
                    handler: 'reverse_proxy',
                    upstreams: [{ dial: `${EDGE_CONTAINER}:${port}` }],
                    // The edge being remade (removed by hand, re-enabled) is waited for, not failed.
                    load_balancing: LOAD_BALANCING,
                  },
                ],
              },
            ],
            automatic_https: { disable: true },
          },
        },
      },
    },
  };
}

function publishes(info: Docker.ContainerInspectInfo, bind: string, port: number, image: string): boolean {
  const binding = info.HostConfig.PortBindings?.[`${port}/tcp`]?.[0];
  return binding?.HostPort === String(port) && binding.HostIp === bind && info.Config.Image === image;
}

async function createPublisher(
  host: DockerHost,
  owner: string,
  settings: EdgeContainerSettings,
  app: string,
  port: number,
) {
  const container = await host.docker.createContainer({
    name: publisherName(app),
    Image: settings.image,
    Labels: { ...edgeLabels(owner, ROLE), [APP_LABEL]: app },
    Cmd: ['caddy', 'run', '--config', `/${CONFIG_FILE}`],
    ExposedPorts: { [`${port}/tcp`]: {} },
    HostConfig: {
      PortBindings: { [`${port}/tcp`]: [{ HostIp: settings.bind, HostPort: String(port) }] },
      RestartPolicy: { Name: 'unless-stopped' },
      NetworkMode: EDGE_NETWORK,
    },
  });
  try {
    await container.putArchive(oneFileTar(CONFIG_FILE, JSON.stringify(publisherConfig(port))), { path: '/' });
    await container.start();
  } catch (err) {
    // `v`: the image's own VOLUMEs (the official image declares two) go with it.
    await container.remove({ force: true, v: true }).catch(() => undefined);
    throw err;
  }
}

/** The ports other containers on the server publish: never offered to an app. */
async function publishedPorts(host: DockerHost): Promise<Set<number>> {
  const running = await host.docker.listContainers({ all: true });
  return new Set(running.flatMap((c) => c.Ports.map((p) => p.PublicPort).filter((p): p is number => Boolean(p))));
}

/**
 * Makes sure the app's publisher runs on `port` (kept from an earlier assignment), or on a free port of
 * EDGE_APP_PORTS when it has none, and returns the port. `taken` holds the ports other apps keep.
 */
export async function ensurePublisher(
  host: DockerHost,
  local: DockerHost,
  owner: string,
  settings: EdgeContainerSettings,
  app: string,
  port: number | undefined,
  taken: ReadonlySet<number>,
): Promise<number> {
  const info = await inspectNamed(host, publisherName(app));
  if (info && info.Config.Labels?.[LABELS.owner] !== owner) {
    throw new SlipwayError(
      'EDGE_FAILED',
      `A container named ${publisherName(app)} on ${host.name} is not this Slipway's; remove or rename it, then deploy again.`,
    );
  }
  if (info && port && publishes(info, settings.bind, port, settings.image)) {
    if (!info.State.Running) await host.docker.getContainer(info.Id).start();
    return port;
  }
  if (info) await host.docker.getContainer(info.Id).remove({ force: true, v: true });
  await provideImage(host, local, settings.image);
  await ensureNetwork(host, owner);
  if (port) {
    await createPublisher(host, owner, settings, app, port).catch((err: unknown) => {
      if (!bindFailed(err)) throw err;
      throw new SlipwayError(
        'EDGE_PORT_IN_USE',
        `Port ${port} on ${settings.bind}, which ${app} is served on, is taken by another program on ${host.name}; free it and deploy again.`,
        { port, bind: settings.bind },
      );
    });
    return port;
  }
  const avoid = new Set([...taken, ...(await publishedPorts(host)), settings.httpPort, settings.httpsPort]);
  let tries = 0;
  for (let candidate = EDGE_APP_PORTS.from; candidate <= EDGE_APP_PORTS.to && tries < PICK_TRIES; candidate++) {
    if (avoid.has(candidate)) continue;
    tries++;
    try {
      await createPublisher(host, owner, settings, app, candidate);
      return candidate;
    } catch (err) {
      // Held by a program outside Docker: Docker says so at start; the next port is tried.
      if (!bindFailed(err)) throw err;
    }
  }
  throw new SlipwayError(
    'EDGE_PORT_IN_USE',
    `No free port for ${app} on ${host.name} between ${EDGE_APP_PORTS.from} and ${EDGE_APP_PORTS.to} after ${tries} tries; give the app a domain, or free a port there.`,
  );
}

/** Removes this installation's publishers: of one app, or all of them (the edge is disabled). Returns what went. */
export async function removePublishers(host: DockerHost, owner: string, app?: string): Promise<string[]> {
  const labels = [`${EDGE_LABEL}=${ROLE}`, `${LABELS.owner}=${owner}`, ...(app ? [`${APP_LABEL}=${app}`] : [])];
  const found = await host.docker.listContainers({ all: true, filters: { label: labels } });
  for (const c of found) await host.docker.getContainer(c.Id).remove({ force: true, v: true });
  return found.map((c) => `container ${(c.Names[0] ?? c.Id).replace(/^\//, '')}`);
}

/** Removes the publishers of apps this installation no longer has on the server (deleted while it was away). */
export async function removeStalePublishers(host: DockerHost, owner: string, known: (app: string) => boolean) {
  const labels = [`${EDGE_LABEL}=${ROLE}`, `${LABELS.owner}=${owner}`];
  for (const c of await host.docker.listContainers({ all: true, filters: { label: labels } })) {
    const app = c.Labels[APP_LABEL];
    if (app && !known(app)) await host.docker.getContainer(c.Id).remove({ force: true, v: true });
  }
}

/** Where an app on its own port is reached: the bound address, or the server's own when bound to every one. */
export function portUrl(bind: string, serverHost: string, port: number): string {
  const wildcard = bind === '0.0.0.0' || bind === '::' || bind === '';
  const host = wildcard ? serverHost : bind;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
