import type { Readable } from 'node:stream';
import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from '../hosts/docker-host';
import { lineSplitter } from '../base/line-splitter';
import { jsonLineSplitter } from './json-lines';
import { createdLayer } from './build-layers';
import { buildOptions, type BuildOptionsRequest } from './build-options';

export interface BuildRequest extends BuildOptionsRequest {
  context: NodeJS.ReadableStream;
  /** Called with each complete line of build output. */
  onLine(line: string): void;
  /** Called with each layer this build created (not one taken from the cache). */
  onLayer?(imageId: string): void;
  /** Called with the container the running step uses: what a kill removes. */
  onStepContainer?(containerId: string): void;
}

export interface BuildResult {
  imageId: string;
}

interface BuildMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { ID?: string };
}

const STEP_CONTAINER_LINE = /^ ---> Running in ([0-9a-f]{12,64})$/;
const SUCCESS_LINE = /^Successfully built ([0-9a-f]{12,64})$/;

/** Builds an image with the engine's build API, streaming its output line by line. */
export async function buildImage(host: DockerHost, request: BuildRequest): Promise<BuildResult> {
  let imageId: string | null = null;
  let failure: string | null = null;
  let previousLine = '';
  // `stream` chunks are not aligned to lines: the splitter keeps the tail until its newline arrives.
  const split = lineSplitter();
  const onText = (text: string) => {
    for (const line of split.push(text)) emitLine(line);
  };
  const emitLine = (line: string) => {
    const trimmed = line.trimEnd();
    const layer = createdLayer(previousLine, trimmed);
    if (layer) request.onLayer?.(layer);
    const step = STEP_CONTAINER_LINE.exec(trimmed);
    if (step) request.onStepContainer?.(step[1]!);
    previousLine = trimmed;
    const built = SUCCESS_LINE.exec(line.trim());
    if (built) imageId ??= built[1]!;
    request.onLine(line);
  };

  const response = (await host.docker.buildImage(
    request.context as unknown as Readable,
    buildOptions(request) as never,
  )) as unknown as Readable;

  let abortListener = (): void => undefined;
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
    // Destroying the response emits neither 'end' nor 'error': settle here, or the build never returns.
    const abort = () => {
      response.destroy();
      reject(request.signal?.reason ?? new Error('aborted'));
    };
    abortListener = abort;
    if (request.signal?.aborted) abort();
    else request.signal?.addEventListener('abort', abort, { once: true });
  }).finally(() => {
    // The deployment's signal outlives this build (health checks, jobs follow): leave no listener on it.
    request.signal?.removeEventListener('abort', abortListener);
  });
  for (const line of split.end()) emitLine(line);

  if (failure) throw new SlipwayError('BUILD_FAILED', failure);
  if (!imageId) throw new SlipwayError('BUILD_FAILED', 'The build ended without producing an image.');
  const image = await host.docker.getImage(request.tag).inspect();
  return { imageId: image.Id };
}
