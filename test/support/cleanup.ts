import type Docker from 'dockerode';

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

/** Force-removes the containers, then the images, labelled `dev.slipway.managed=true` (and `dev.slipway.app=<app>` if given); nothing else. */
export async function removeSlipwayResources(docker: Docker, filter: { app?: string } = {}): Promise<void> {
  const label = ['dev.slipway.managed=true'];
  if (filter.app !== undefined) label.push(`dev.slipway.app=${filter.app}`);

  const containers = await docker.listContainers({ all: true, filters: { label } });
  await Promise.all(
    containers.map(async (container) => {
      try {
        await docker.getContainer(container.Id).remove({ force: true, v: true });
      } catch (err) {
        // 404: already gone; 409: removal already in progress.
        if (statusOf(err) !== 404 && statusOf(err) !== 409) throw err;
      }
    }),
  );

  // Database volumes outlive their app unless asked; a test's go with it.
  const { Volumes } = await docker.listVolumes({ filters: { label } });
  for (const volume of Volumes ?? []) {
    await docker
      .getVolume(volume.Name)
      .remove()
      .catch((err: unknown) => {
        if (statusOf(err) !== 404 && statusOf(err) !== 409) throw err;
      });
  }

  // An image with labelled children cannot go before them (409), so repeat until a pass removes nothing.
  for (let pass = 0; pass < 10; pass++) {
    const images = await docker.listImages({ all: true, filters: { label } });
    if (images.length === 0) return;
    let removed = 0;
    let lastError: unknown;
    for (const image of images) {
      try {
        await docker.getImage(image.Id).remove({ force: true });
        removed += 1;
      } catch (err) {
        if (statusOf(err) === 404) removed += 1;
        else lastError = err;
      }
    }
    if (removed === 0) throw lastError;
  }
}
