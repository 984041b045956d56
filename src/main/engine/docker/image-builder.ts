import type { Readable } from 'node:stream';
import { SlipwayError } from '../../../shared/errors';
import type { DockerHost } from '../hosts/docker-host';
import { lineSplitter } from '../base/line-splitter';
import { oneFileTar } from '../base/one-file-tar';
import { jsonLineSplitter } from './json-lines';
import { createdLayer } from './build-layers';
import {
  buildOptions,
  LABEL_DOCKERFILE,
  labelBuildOptions,
  labelDockerfile,
  type BuildOptionsRequest,
} from './build-options';

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

type BuildListeners = Pick<BuildRequest, 'onLine' | 'onLayer' | 'onStepContainer'>;

const STEP_CONTAINER_LINE = /^ ---> Running in ([0-9a-f]{12,64})$/;
const SUCCESS_LINE = /^Successfully built ([0-9a-f]{12,64})$/;
const CLOSING_LINE = /^Successfully (built|tagged) /;

/**
 * Builds an image with the engine's build API, streaming its output line by
 * line, then labels it. The user's Dockerfile is built as it is; the labels
 * go on in a second build of a generated `FROM <image>` + `LABEL` Dockerfile,
 * whose steps are not shown (only its closing lines, which name the labelled
 * image and its tag), so the log holds exactly the user's own steps.
 */
export async function buildImage(host: DockerHost, request: BuildRequest): Promise<BuildResult> {
  const { signal } = request;
  const built = await runBuild(host, request.context, buildOptions(request), signal, {
    ...request,
    // The labelled image is the one built in the end: its own closing lines say so.
    onLine: (line) => {
      if (!SUCCESS_LINE.test(line.trim())) request.onLine(line);
    },
  });
  const base = (await host.docker.getImage(built).inspect()).Id;
  if (signal?.aborted) throw signal.reason;
  const context = oneFileTar(LABEL_DOCKERFILE, labelDockerfile(base, request.labels));
  await runBuild(host, context, labelBuildOptions(request), signal, {
    ...request,
    onLine: (line) => {
      if (CLOSING_LINE.test(line.trim())) request.onLine(line);
    },
  });
  const image = await host.docker.getImage(request.tag).inspect();
  return { imageId: image.Id };
}

/** Runs one build and follows its output to the end; returns the image it made. */
async function runBuild(
  host: DockerHost,
  context: NodeJS.ReadableStream | Buffer,
  options: object,
  signal: AbortSignal | undefined,
  listeners: BuildListeners,
): Promise<string> {
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
    if (layer) listeners.onLayer?.(layer);
    const step = STEP_CONTAINER_LINE.exec(trimmed);
    if (step) listeners.onStepContainer?.(step[1]!);
    previousLine = trimmed;
    const built = SUCCESS_LINE.exec(line.trim());
    if (built) imageId ??= built[1]!;
    listeners.onLine(line);
  };

  const response = (await host.docker.buildImage(
    context as unknown as Readable,
    options as never,
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
        // A failed build still answers HTTP 200: the failure is a message in the stream. The
        // deployment's closing line gives it to the log (deploy/closing-line.ts), once.
        if (message.error || message.errorDetail) {
          failure = message.errorDetail?.message ?? message.error ?? 'the build failed';
        }
      }),
    );
    response.on('end', resolve);
    response.on('error', reject);
    // Destroying the response emits neither 'end' nor 'error': settle here, or the build never returns.
    const abort = () => {
      response.destroy();
      reject(signal?.reason ?? new Error('aborted'));
    };
    abortListener = abort;
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  }).finally(() => {
    // The deployment's signal outlives this build (health checks, jobs follow): leave no listener on it.
    signal?.removeEventListener('abort', abortListener);
  });
  for (const line of split.end()) emitLine(line);

  if (failure) throw new SlipwayError('BUILD_FAILED', failure);
  if (!imageId) throw new SlipwayError('BUILD_FAILED', 'The build ended without producing an image.');
  return imageId;
}
