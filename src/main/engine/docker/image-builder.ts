import type { Readable } from 'node:stream';
import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from '../hosts/docker-host';
import { jsonLineSplitter } from '../system/json-lines';

export interface BuildRequest {
  context: NodeJS.ReadableStream;
  /** Path of the Dockerfile inside the context. */
  dockerfile: string;
  tag: string;
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  noCache: boolean;
  signal?: AbortSignal;
  /** Called with each complete line of build output. */
  onLine(line: string): void;
}

export interface BuildResult {
  imageId: string;
  /** Ids of the layers the build printed (` ---> abc123`): what a canceled build leaves behind. */
  layerIds: string[];
}

interface BuildMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { ID?: string };
}

const LAYER_LINE = /^ ---> ([0-9a-f]{12,64})$/;
const SUCCESS_LINE = /^Successfully built ([0-9a-f]{12,64})$/;

/** Builds an image with the engine's build API, streaming its output line by line. */
export async function buildImage(host: DockerHost, request: BuildRequest): Promise<BuildResult> {
  const layerIds: string[] = [];
  let imageId: string | null = null;
  let failure: string | null = null;
  let partial = '';

  const onText = (text: string) => {
    // `stream` chunks are not aligned to lines: keep the tail until its newline arrives.
    partial += text;
    const lines = partial.split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) emitLine(line);
  };
  const emitLine = (line: string) => {
    const layer = LAYER_LINE.exec(line.trimEnd());
    if (layer) layerIds.push(layer[1]!);
    const built = SUCCESS_LINE.exec(line.trim());
    if (built) imageId ??= built[1]!;
    request.onLine(line);
  };

  const response = (await host.docker.buildImage(
    request.context as unknown as Readable,
    {
      t: request.tag,
      dockerfile: request.dockerfile,
      labels: request.labels,
      buildargs: request.buildArgs,
      nocache: request.noCache,
      rm: true,
      forcerm: true,
      abortSignal: request.signal,
    } as never,
  )) as unknown as Readable;

  await new Promise<void>((resolve, reject) => {
    response.on(
      'data',
      jsonLineSplitter((raw) => {
        const message = raw as BuildMessage;
        if (message.stream) onText(message.stream);
        if (message.status) emitLine(message.status);
        if (message.aux?.ID) imageId = message.aux.ID;
        // A failed build still answers HTTP 200: the failure is a message in the stream.
        if (message.error || message.errorDetail) {
          failure = message.errorDetail?.message ?? message.error ?? 'the build failed';
          emitLine(failure);
        }
      }),
    );
    response.on('end', resolve);
    response.on('error', reject);
    request.signal?.addEventListener('abort', () => response.destroy(), { once: true });
  });
  if (partial) emitLine(partial);

  if (failure) throw new SlipwayError('BUILD_FAILED', failure, { layerIds });
  if (!imageId) throw new SlipwayError('BUILD_FAILED', 'The build ended without producing an image.', { layerIds });
  const image = await host.docker.getImage(request.tag).inspect();
  return { imageId: image.Id, layerIds };
}
