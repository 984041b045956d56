// Building and inspecting images through the Docker API: the one place the offline-image
// scripts talk to the engine's build endpoint.
import tar from 'tar-fs';

/** The image's inspect data, or null when the engine has no image by that name. */
export async function inspectImage(docker, name) {
  try {
    return await docker.getImage(name).inspect();
  } catch (err) {
    if (err?.statusCode === 404) return null;
    throw err;
  }
}

/** The build request for a context folder: tag, labels, and no intermediate containers left behind. */
export function buildRequest(tag, labels) {
  return { t: tag, rm: true, forcerm: true, labels };
}

/** The built image's id from the builder's messages, or the builder's error. */
export function buildOutcome(tag, messages) {
  const failure = messages.find((message) => message.error || message.errorDetail);
  if (failure) throw new Error(`Building ${tag} failed: ${failure.error ?? failure.errorDetail?.message}`);
  const id = messages.map((message) => message.aux?.ID).find(Boolean);
  return id ?? null;
}

/** Builds the context folder (its Dockerfile at the top) into `tag`; returns the image id. */
export async function buildImageFromFolder(docker, folder, tag, labels = {}) {
  // umask 0: the modes are the tree's own (/tmp stays 1777), not this process's umask.
  const stream = await docker.buildImage(tar.pack(folder, { umask: 0 }), buildRequest(tag, labels));
  // A failed build still answers 200: the error is only in the progress messages.
  const messages = await new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err, output) => (err ? reject(err) : resolve(output)));
  });
  return buildOutcome(tag, messages) ?? (await inspectImage(docker, tag))?.Id ?? null;
}

/** Points `tag` (repo:tag) at the image `id`. */
export async function tagImage(docker, id, tag) {
  const colon = tag.lastIndexOf(':');
  await docker.getImage(id).tag({ repo: tag.slice(0, colon), tag: tag.slice(colon + 1) });
}
