/*
 * The image the server's edge (and each port publisher) runs: put on the server without a registry
 * where this machine has it, and pinned by digest once it runs.
 */
import { SlipwayError } from '../../../shared/errors';
import { shipImage } from '../docker/ship-image';
import type { DockerHost } from '../hosts/docker-host';

/** Puts the edge image on the server: shipped from this machine when it has it (no registry needed), else pulled. */
export async function provideImage(host: DockerHost, local: DockerHost, image: string): Promise<void> {
  if (
    await host.docker
      .getImage(image)
      .inspect()
      .then(
        () => true,
        () => false,
      )
  )
    return;
  if (
    await local.docker
      .getImage(image)
      .inspect()
      .then(
        () => true,
        () => false,
      )
  ) {
    await shipImage(local, host, image);
    return;
  }
  try {
    const stream = await host.docker.pull(image);
    await new Promise<void>((resolve, reject) =>
      host.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
    );
  } catch (err) {
    throw new SlipwayError(
      'IMAGE_UNAVAILABLE',
      `The edge image ${image} is neither on ${host.name} nor on this machine, and ${host.name} cannot pull it: ${(err as Error).message}`,
    );
  }
}

/** The image a container of the edge runs, by digest: its registry digest when it was pulled, else its ID (shipped from this machine). */
export async function runningImageDigest(host: DockerHost, container: string): Promise<string | undefined> {
  const info = await host.docker
    .getContainer(container)
    .inspect()
    .catch(() => null);
  if (!info) return undefined;
  const image = await host.docker
    .getImage(info.Image)
    .inspect()
    .catch(() => null);
  return image?.RepoDigests?.[0] ?? info.Image;
}
