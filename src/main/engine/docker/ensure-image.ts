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
