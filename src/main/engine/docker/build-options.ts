import { SlipwayError } from '../../../shared/errors';

/** What a build is asked for, apart from its context and its listeners. */
export interface BuildOptionsRequest {
  /** Path of the Dockerfile inside the context. */
  dockerfile: string;
  tag: string;
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  noCache: boolean;
  signal?: AbortSignal;
}

/**
 * The build API's options for the user's own Dockerfile: intermediate
 * containers are removed even when a step fails. No labels and no tag: the
 * classic builder turns each label into a LABEL step of its own after the
 * user's steps, so they go on in the label build (`labelBuildOptions`).
 */
export function buildOptions(request: BuildOptionsRequest) {
  return {
    dockerfile: request.dockerfile,
    buildargs: request.buildArgs,
    nocache: request.noCache,
    rm: true,
    forcerm: true,
    abortSignal: request.signal,
  };
}

/** Where the label build's one-file context keeps its Dockerfile. */
export const LABEL_DOCKERFILE = 'Dockerfile';

/**
 * The build API's options for the label build: the tag goes on the labelled
 * image. The cache stays on: the same image labelled the same way is found
 * again, so a build whose own steps were all cached ends on the same image.
 */
export function labelBuildOptions(request: Pick<BuildOptionsRequest, 'tag' | 'signal'>) {
  return {
    t: request.tag,
    dockerfile: LABEL_DOCKERFILE,
    rm: true,
    forcerm: true,
    abortSignal: request.signal,
  };
}

const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;

/**
 * The label build's Dockerfile: the built image and one LABEL instruction,
 * keys sorted so the same labels make the same step (and hit the cache).
 */
export function labelDockerfile(imageId: string, labels: Record<string, string>): string {
  if (!IMAGE_ID.test(imageId)) {
    throw new SlipwayError('INTERNAL', `image id ${JSON.stringify(imageId)}: not a sha256 image id`, { imageId });
  }
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) throw new SlipwayError('INTERNAL', 'labels: none given for the label build');
  const pairs = keys.map((key) => `${quoted(key, 'key')}=${quoted(labels[key]!, key)}`);
  return `FROM ${imageId}\nLABEL ${pairs.join(' ')}\n`;
}

/**
 * A Dockerfile word in double quotes: the builder reads `\`, `"` and `$` there
 * as escapes and variables, so each is escaped; a line break would end the
 * instruction and is refused.
 */
function quoted(text: string, field: string): string {
  if (/[\r\n]/.test(text)) {
    throw new SlipwayError('INTERNAL', `label ${field}: a label cannot hold a line break`, { field });
  }
  return `"${text.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}
