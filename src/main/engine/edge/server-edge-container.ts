/*
 * The edge container on a server: Caddy, labelled as Slipway's, restarted by Docker (`unless-stopped`)
 * and started with `--resume`, so it serves its last routes after a reboot with Slipway closed. Its
 * admin API listens on a Unix socket in its config volume, which Slipway reaches over SSH.
 */
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { SlipwayError } from '../../../shared/errors';
import { LABELS } from '../../../shared/labels';
import { oneFileTar } from '../base/one-file-tar';
import type { DockerHost } from '../hosts/docker-host';
import { CaddyAdmin } from './caddy-admin';
import { provideImage } from './edge-image';
import {
  ADMIN_SOCKET_NAME,
  CONTAINER_HTTP_PORT,
  CONTAINER_HTTPS_PORT,
  EDGE_CONFIG_DIR,
  initialEdgeConfig,
  INITIAL_CONFIG_NAME,
  type EdgeConfigSettings,
} from './caddy-config';
import { isNotFound } from '../docker/docker-errors';

export const EDGE_CONTAINER = 'slipway-edge';
/** Marks the server's edge container and its volumes (no app label: no app's cleanup ever matches them). */
export const EDGE_LABEL = 'dev.slipway.edge';
export const EDGE_VOLUMES = { config: 'slipway-edge-config', data: 'slipway-edge-data' } as const;
/**
 * The edge's own network. A lone component runs on Docker's default bridge, which has no DNS: it joins
 * this network so the edge dials it by name, and a name still leads to it after the server's Docker
 * restarts and hands out new addresses.
 */
export const EDGE_NETWORK = 'slipway-edge';

export interface EdgeContainerSettings extends EdgeConfigSettings {
  httpPort: number;
  httpsPort: number;
  bind: string;
  image: string;
}

/** A host that can open a stream to a Unix socket on it: a server over SSH. */
export type EdgeHost = DockerHost & { connectUnixSocket(path: string): Promise<Duplex> };

export function canHostEdge(host: DockerHost): host is EdgeHost {
  return typeof (host as Partial<EdgeHost>).connectUnixSocket === 'function';
}

const ADMIN_READY_MS = 15_000;

/**
 * Caddy on Linux opens a new listening socket at each config change and closes the old one; the kernel
 * resets connections still queued on the old one, so a route switch under load drops a few requests.
 * With this (Linux 5.14+) the kernel hands them to the new socket instead.
 */
const MIGRATE_QUEUED_CONNECTIONS = { 'net.ipv4.tcp_migrate_req': '1' };

/** The labels of everything the edge is made of; `role` tells the edge itself from an app's port publisher. */
export function edgeLabels(owner: string, role = 'server'): Record<string, string> {
  return { [LABELS.managed]: 'true', [LABELS.owner]: owner, [EDGE_LABEL]: role };
}

/** A container of the edge (the edge itself, a port publisher) as Docker sees it, or null when there is none. */
export async function inspectNamed(host: DockerHost, name: string): Promise<Docker.ContainerInspectInfo | null> {
  return host.docker
    .getContainer(name)
    .inspect()
    .catch((err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    });
}

/** The edge container as Docker sees it, or null. */
export function inspectEdge(host: DockerHost): Promise<Docker.ContainerInspectInfo | null> {
  return inspectNamed(host, EDGE_CONTAINER);
}

/** Whether Docker could not start a container because a port it publishes is held already. */
export const bindFailed = (err: unknown) =>
  /port is already allocated|address already in use/i.test((err as Error).message);

function wildcard(ip: string | undefined): boolean {
  return !ip || ip === '0.0.0.0' || ip === '::';
}

/** The container (other than the edge) that publishes `port` on `bind`, when Docker can tell. */
export async function portHolder(host: DockerHost, bind: string, port: number): Promise<string | null> {
  const running = await host.docker.listContainers();
  for (const c of running) {
    if (c.Names.includes(`/${EDGE_CONTAINER}`)) continue;
    const clash = c.Ports.some((p) => p.PublicPort === port && (wildcard(p.IP) || wildcard(bind) || p.IP === bind));
    if (clash) return (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
  }
  return null;
}

function portInUse(bind: string, port: number, holder: string | null): SlipwayError {
  const by = holder ? ` by the container ${holder}` : '';
  return new SlipwayError(
    'EDGE_PORT_IN_USE',
    `Port ${port} on ${bind} is already in use${by}; the edge was not enabled and nothing was changed. ` +
      'Free the port or pass other --http-port/--https-port.',
    { port, bind, holder },
  );
}

/** Refuses, before anything is made, when a port the edge needs is published by another container. */
export async function checkEdgePorts(host: DockerHost, settings: EdgeContainerSettings): Promise<void> {
  for (const port of wantedPorts(settings)) {
    const holder = await portHolder(host, settings.bind, port);
    if (holder) throw portInUse(settings.bind, port, holder);
  }
}

function wantedPorts(settings: EdgeContainerSettings): number[] {
  return settings.tls === 'off' ? [settings.httpPort] : [settings.httpPort, settings.httpsPort];
}

/** Makes the edge network unless it is there; true when this call made it. */
export async function ensureNetwork(host: DockerHost, owner: string): Promise<boolean> {
  const exists = await host.docker
    .getNetwork(EDGE_NETWORK)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (exists) return false;
  await host.docker.createNetwork({ Name: EDGE_NETWORK, Driver: 'bridge', Labels: edgeLabels(owner) });
  return true;
}

/** Makes a volume unless it is there; true when this call made it. */
async function ensureVolume(host: DockerHost, name: string, owner: string): Promise<boolean> {
  const exists = await host.docker
    .getVolume(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (exists) return false;
  await host.docker.createVolume({ Name: name, Labels: edgeLabels(owner) });
  return true;
}

/**
 * Creates and starts the edge. On any failure what this call made is removed again, so a refused
 * enable changes nothing; a port Docker could not bind is `EDGE_PORT_IN_USE`.
 */
export async function createEdge(
  host: DockerHost,
  local: DockerHost,
  owner: string,
  settings: EdgeContainerSettings,
): Promise<void> {
  await checkEdgePorts(host, settings);
  await provideImage(host, local, settings.image);
  const made: string[] = [];
  let madeNetwork = false;
  // Assigned inside `start` below, which TypeScript's narrowing does not follow: the cast keeps its type whole.
  let container = null as Docker.Container | null;
  try {
    for (const volume of Object.values(EDGE_VOLUMES)) if (await ensureVolume(host, volume, owner)) made.push(volume);
    madeNetwork = await ensureNetwork(host, owner);
    const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {
      [`${CONTAINER_HTTP_PORT}/tcp`]: [{ HostIp: settings.bind, HostPort: String(settings.httpPort) }],
    };
    if (settings.tls !== 'off') {
      bindings[`${CONTAINER_HTTPS_PORT}/tcp`] = [{ HostIp: settings.bind, HostPort: String(settings.httpsPort) }];
    }
    const initial = JSON.stringify(initialEdgeConfig(settings), null, 2);
    const start = async (sysctls: Record<string, string>) => {
      const created = await host.docker.createContainer({
        name: EDGE_CONTAINER,
        Image: settings.image,
        Labels: edgeLabels(owner),
        // --resume: the routes Caddy saved last win over the initial file, so it serves them after a reboot.
        Cmd: ['caddy', 'run', '--resume', '--config', `${EDGE_CONFIG_DIR}/${INITIAL_CONFIG_NAME}`],
        Env: [`XDG_CONFIG_HOME=${EDGE_CONFIG_DIR}`, 'XDG_DATA_HOME=/data'],
        ExposedPorts: Object.fromEntries(Object.keys(bindings).map((p) => [p, {}])),
        HostConfig: {
          PortBindings: bindings,
          RestartPolicy: { Name: 'unless-stopped' },
          NetworkMode: EDGE_NETWORK,
          Binds: [`${EDGE_VOLUMES.config}:${EDGE_CONFIG_DIR}`, `${EDGE_VOLUMES.data}:/data`],
          Sysctls: sysctls,
        },
      });
      container = created;
      await created.putArchive(oneFileTar(INITIAL_CONFIG_NAME, initial), { path: EDGE_CONFIG_DIR });
      await created.start();
    };
    await start(MIGRATE_QUEUED_CONNECTIONS)
      .catch(async (err: Error) => {
        // A kernel before 5.14 has no such setting: the edge runs without it (a switch may reset a queued connection).
        if (!/tcp_migrate_req/.test(err.message)) throw err;
        await host.docker.getContainer(EDGE_CONTAINER).remove({ force: true });
        await start({});
      })
      .catch((err: Error) => {
        if (bindFailed(err)) {
          const port = wantedPorts(settings).find((p) => err.message.includes(`:${p}`)) ?? settings.httpPort;
          throw portInUse(settings.bind, port, null);
        }
        throw err;
      });
    await waitForAdmin(host as EdgeHost);
  } catch (err) {
    await container?.remove({ force: true }).catch(() => undefined);
    if (madeNetwork)
      await host.docker
        .getNetwork(EDGE_NETWORK)
        .remove()
        .catch(() => undefined);
    for (const volume of made)
      await host.docker
        .getVolume(volume)
        .remove()
        .catch(() => undefined);
    throw err;
  }
}

/** The path of the admin socket on the server: inside the config volume's mountpoint. */
async function adminSocketPath(host: DockerHost): Promise<string> {
  const volume = await host.docker.getVolume(EDGE_VOLUMES.config).inspect();
  return `${volume.Mountpoint}/${ADMIN_SOCKET_NAME}`;
}

/** A client of the edge's admin API over the server's SSH connection. */
export async function edgeAdmin(host: EdgeHost): Promise<CaddyAdmin> {
  const path = await adminSocketPath(host);
  return new CaddyAdmin(() => host.connectUnixSocket(path));
}

/** Resolves once Caddy's admin API answers (Caddy makes the socket a moment after its start). */
async function waitForAdmin(host: EdgeHost): Promise<void> {
  const admin = await edgeAdmin(host);
  const deadline = Date.now() + ADMIN_READY_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await admin.config();
      return;
    } catch (err) {
      last = err;
      // Polls a condition, bounded by the deadline: the socket appears when Caddy has started.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const logs = await host.docker
    .getContainer(EDGE_CONTAINER)
    .logs({ stdout: true, stderr: true, tail: 5 })
    .then(
      (b) => b.toString('utf8').slice(-800),
      () => '',
    );
  throw new SlipwayError(
    'EDGE_FAILED',
    `The edge on ${host.name} did not answer on its admin socket within 15 s: ${(last as Error)?.message ?? ''}\n${logs}`,
  );
}

/** Recreates a missing edge, or starts a stopped one; true when it had to. */
export async function ensureEdge(
  host: EdgeHost,
  local: DockerHost,
  owner: string,
  settings: EdgeContainerSettings,
): Promise<boolean> {
  const info = await inspectEdge(host);
  if (info?.State.Running) return false;
  if (info) {
    await host.docker.getContainer(EDGE_CONTAINER).start();
    await waitForAdmin(host);
    return true;
  }
  await createEdge(host, local, owner, settings);
  return true;
}

/** Removes the edge container only (its volumes keep the CA and saved config), if it is this installation's. */
export async function removeEdgeContainer(host: DockerHost, owner: string): Promise<boolean> {
  const info = await inspectEdge(host);
  if (!info || !ownEdge(info.Config.Labels, owner)) return false;
  await host.docker.getContainer(info.Id).remove({ force: true });
  return true;
}

/** Removes the edge container and its volumes, only if they carry this installation's edge labels. */
export async function removeEdge(host: DockerHost, owner: string): Promise<string[]> {
  const removed: string[] = [];
  if (await removeEdgeContainer(host, owner)) removed.push(`container ${EDGE_CONTAINER}`);
  const network = await host.docker
    .getNetwork(EDGE_NETWORK)
    .inspect()
    .catch(() => null);
  if (network && ownEdge(network.Labels ?? undefined, owner)) {
    // The instances that joined it stay on their own networks; only their link to the edge goes.
    for (const id of Object.keys(network.Containers ?? {})) {
      await host.docker
        .getNetwork(EDGE_NETWORK)
        .disconnect({ Container: id, Force: true })
        .catch(() => undefined);
    }
    await host.docker.getNetwork(EDGE_NETWORK).remove();
    removed.push(`network ${EDGE_NETWORK}`);
  }
  for (const name of Object.values(EDGE_VOLUMES)) {
    const volume = await host.docker
      .getVolume(name)
      .inspect()
      .catch(() => null);
    if (volume && ownEdge(volume.Labels ?? undefined, owner)) {
      await host.docker.getVolume(name).remove();
      removed.push(`volume ${name}`);
    }
  }
  return removed;
}

function ownEdge(labels: Record<string, string> | undefined, owner: string): boolean {
  return labels?.[EDGE_LABEL] === 'server' && labels[LABELS.owner] === owner;
}

/** The address ranges of the edge network, where the edge's port publishers connect from. */
export async function edgeNetworkRanges(host: DockerHost): Promise<string[]> {
  const network = await host.docker
    .getNetwork(EDGE_NETWORK)
    .inspect()
    .catch(() => null);
  return ((network?.IPAM?.Config ?? []) as Array<{ Subnet?: string }>).flatMap((c) => (c.Subnet ? [c.Subnet] : []));
}

/** Joins the edge to an app's network so it reaches the instances there by name; a network it is on already is fine. */
export async function joinNetwork(host: DockerHost, network: string): Promise<void> {
  const info = await inspectEdge(host);
  if (!info || info.NetworkSettings.Networks[network]) return;
  await host.docker.getNetwork(network).connect({ Container: EDGE_CONTAINER });
}

/** Joins an instance to the edge network (it keeps its own), so the edge dials it by its name. */
export async function joinEdgeNetwork(host: DockerHost, containerId: string): Promise<void> {
  await host.docker
    .getNetwork(EDGE_NETWORK)
    .connect({ Container: containerId })
    .catch((err: { statusCode?: number; message?: string }) => {
      // Already connected (Docker says 403 or 409, by version) is what was wanted.
      if (err.statusCode === 403 || err.statusCode === 409 || /already exists/.test(err.message ?? '')) return;
      throw err;
    });
}

/** Takes the edge off an app's network, so that the app's deletion can remove it. */
export async function leaveNetwork(host: DockerHost, network: string): Promise<void> {
  const info = await inspectEdge(host);
  if (!info?.NetworkSettings.Networks[network]) return;
  await host.docker.getNetwork(network).disconnect({ Container: EDGE_CONTAINER, Force: true });
}
