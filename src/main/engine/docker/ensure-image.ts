import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from '../hosts/docker-host';

/** The id of an image on a host, pulled there first when it is missing (a pull happens on that host). */
export async function ensureImage(host: DockerHost, ref: string, log: (line: string) => void): Promise<string> {
  try {
    return (await host.docker.getImage(ref).inspect()).Id;
  } catch {
    log(`Pulling ${ref}`);
  }
  try {
    const stream = await host.docker.pull(ref);
    await new Promise<void>((resolve, reject) =>
      host.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
    );
    return (await host.docker.getImage(ref).inspect()).Id;
  } catch (err) {
    throw new SlipwayError(
      'IMAGE_UNAVAILABLE',
      `Image ${ref} is not on ${host.name} and could not be pulled: ${(err as Error).message}`,
    );
  }
}

/** A generated build's base image on the builder: pulled when missing, else an error that says how to make it offline. */
export async function ensureBaseImage(host: DockerHost, ref: string, log: (line: string) => void): Promise<string> {
  try {
    return await ensureImage(host, ref, log);
  } catch (err) {
    const reason = err instanceof SlipwayError ? err.message : String(err);
    throw new SlipwayError(
      'IMAGE_UNAVAILABLE',
      `Base image ${ref} is not on ${host.name} and cannot be pulled; without a registry, build it with \`npm run offline-images\` (or give the component a Dockerfile). ${reason}`,
      { image: ref },
    );
  }
}

/** Every `repository:tag` on a host: what a generated build's default language version is chosen from. Empty when it cannot be read. */
export async function imageTagsOn(host: DockerHost): Promise<string[]> {
  try {
    const images = await host.docker.listImages();
    return images.flatMap((image) => (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'));
  } catch {
    return [];
  }
}
