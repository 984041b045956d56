import { Transform, type Readable } from 'node:stream';
import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from '../hosts/docker-host';
import { jsonLineSplitter } from './json-lines';

/**
 * Streams an image from one engine into another (`docker save | docker load`
 * through the Docker API on both sides: no registry, no shell): how a machine
 * that builds offline deploys to a server. Resolves with the bytes moved.
 */
export async function shipImage(
  from: DockerHost,
  to: DockerHost,
  image: string,
  signal?: AbortSignal,
): Promise<number> {
  const saved = (await from.docker.getImage(image).get()) as unknown as Readable;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  saved.on('error', (err) => counter.destroy(err));
  const abort = () => saved.destroy(signal?.reason as Error);
  signal?.addEventListener('abort', abort, { once: true });
  let failure: string | null = null;
  try {
    const response = (await to.docker.loadImage(saved.pipe(counter), { quiet: true } as never)) as unknown as Readable;
    await new Promise<void>((resolve, reject) => {
      response.on(
        'data',
        jsonLineSplitter((raw) => {
          const message = raw as { error?: string; errorDetail?: { message?: string } };
          if (message.error || message.errorDetail) failure = message.errorDetail?.message ?? message.error ?? 'failed';
        }),
      );
      response.on('end', resolve);
      response.on('error', reject);
    });
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  if (failure) throw new SlipwayError('IMAGE_UNAVAILABLE', `Loading ${image} into ${to.name} failed: ${failure}`);
  return bytes;
}
