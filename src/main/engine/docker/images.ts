import type { DockerHost } from '../hosts/docker-host';
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

/** Every tag this installation gave an app's images on a host (`slipway/<app>-<component>:<id>`). */
export async function appImageTags(host: DockerHost, owner: string, app: string): Promise<string[]> {
  const images = await host.docker.listImages({ filters: { reference: [`slipway/${app}-*`] } });
  return images
    .filter((image) => isOwnedBy(owner, image.Labels ?? undefined))
    .flatMap((image) => (image.RepoTags ?? []).filter((tag) => tag.startsWith(`slipway/${app}-`)));
}
