import { LABELS } from '../../../shared/labels';
import { publishedPort } from './published-port';
import { readLogFrames } from './log-frames';
import type { DockerHost } from '../hosts/docker-host';
import { instanceCreateOptions, instancePortKey, type InstanceRequest } from './create-options';
import { isOwnedBy, labelFilter, networkName, slipwayLabels } from './labels';
import { dockerStatusOf, isNotFound } from './docker-errors';

export type { InstanceRequest } from './create-options';

export interface StartedInstance {
  id: string;
  /** The published port on the host's loopback, when the component has an http_port. */
  hostPort: number | null;
}

/** Creates the app's network if it does not exist yet, labelled as Slipway's. */
export async function ensureAppNetwork(host: DockerHost, owner: string, app: string): Promise<string> {
  const name = networkName(app);
  const existing = await host.docker.listNetworks({ filters: { name: [name], ...labelFilter(app) } });
  if (!existing.some((n) => n.Name === name)) {
    await host.docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      Labels: slipwayLabels(owner, app),
      CheckDuplicate: true,
    });
  }
  return name;
}

/** Creates and starts one instance of a component, labelled, and reads back its published port. */
export async function startInstance(host: DockerHost, request: InstanceRequest): Promise<StartedInstance> {
  const portKey = instancePortKey(request);
  const container = await host.docker.createContainer(instanceCreateOptions(request));
  try {
    await container.start();
    if (!portKey) return { id: container.id, hostPort: null };
    const info = await container.inspect();
    return { id: container.id, hostPort: publishedPort(info, portKey) };
  } catch (err) {
    await removeContainers(host, [container.id]);
    throw err;
  }
}

/** Stops (with a grace period) and removes containers; ones already gone are fine. */
export async function removeContainers(host: DockerHost, ids: string[], graceSeconds = 10): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      const container = host.docker.getContainer(id);
      try {
        await container.stop({ t: graceSeconds });
      } catch (err) {
        if (isNotFound(err)) return;
        // 304: already stopped; anything else, removal with force still ends it.
      }
      try {
        await container.remove({ force: true, v: true });
      } catch (err) {
        if (!isNotFound(err) && dockerStatusOf(err) !== 409) throw err;
      }
    }),
  );
}

/**
 * This installation's deployment containers on a host, for an app (and a deployment) when given. An app's
 * databases are not among them: no deployment made them, and none removes them (see databases.ts).
 */
export async function listSlipwayContainers(host: DockerHost, owner: string, app?: string, deployment?: string) {
  const all = await host.docker.listContainers({ all: true, filters: labelFilter(app, deployment) });
  return all.filter((c) => isOwnedBy(owner, c.Labels) && c.Labels[LABELS.database] === undefined);
}

/** The containers of an app name that another installation made on a host: never this one's to touch. */
export async function foreignContainers(host: DockerHost, owner: string, app: string) {
  const all = await host.docker.listContainers({ all: true, filters: labelFilter(app) });
  return all.filter((c) => !isOwnedBy(owner, c.Labels));
}

/** The last lines a container printed (stdout and stderr), for error reports. */
export async function containerTail(host: DockerHost, id: string, lines: number): Promise<string[]> {
  try {
    const buffer = (await host.docker
      .getContainer(id)
      .logs({ stdout: true, stderr: true, tail: lines })) as unknown as Buffer;
    return readLogFrames(buffer, { timestamps: false }).map((l) => l.text);
  } catch {
    return [];
  }
}
