import type { DockerHost } from '../hosts/docker-host';
import { LABELS } from '../../../shared/labels';
import { isOwnedBy } from './labels';

/**
 * Removes images by tag or id, one at a time, and says nothing of those that
 * are gone already or still used by a container: cleanup never fails a
 * deployment, and an image Slipway no longer needs is untagged, not forced.
 */
export async function removeImagesQuietly(host: DockerHost, refs: Iterable<string>): Promise<void> {
  for (const ref of refs) {
    await host.docker
      .getImage(ref)
      .remove()
      .catch(() => undefined);
  }
}

/**
 * Removes layers a build made, with any container still made from one: only that build's own step
 * containers can be (the layers are no one else's). A step the build had only just begun when it was
 * stopped may not be named in its output yet, and its container would keep its layer in use.
 */
export async function removeBuildLayers(host: DockerHost, layers: readonly string[]): Promise<void> {
  for (const layer of layers) {
    const users = await host.docker
      .listContainers({ all: true, filters: { ancestor: [layer] } })
      .catch(() => [] as Array<{ Id: string }>);
    for (const c of users)
      await host.docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  await removeImagesQuietly(host, layers);
}

/** Every tag this installation gave an app's images on a host (`slipway/<app>-<component>:<id>`). */
export async function appImageTags(host: DockerHost, owner: string, app: string): Promise<string[]> {
  const images = await host.docker.listImages({ filters: { reference: [`slipway/${app}-*`] } });
  return images
    .filter((image) => isOwnedBy(owner, image.Labels ?? undefined))
    .flatMap((image) => (image.RepoTags ?? []).filter((tag) => tag.startsWith(`slipway/${app}-`)));
}

/**
 * Removes the app's labelled images that no tag names (dangling): a build cut
 * off between labelling its image and tagging it leaves one, which no build
 * log names. Only for an app with no build under way, whose next tag it could be.
 */
export async function removeDanglingAppImages(host: DockerHost, owner: string, app: string): Promise<void> {
  const images = await host.docker
    .listImages({ filters: { dangling: ['true'], label: [`${LABELS.app}=${app}`] } })
    .catch(() => []);
  await removeImagesQuietly(
    host,
    images.filter((image) => isOwnedBy(owner, image.Labels ?? undefined)).map((image) => image.Id),
  );
}
