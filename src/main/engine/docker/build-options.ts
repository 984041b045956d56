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

/** The build API's options: intermediate containers are removed even when a step fails. */
export function buildOptions(request: BuildOptionsRequest) {
  return {
    t: request.tag,
    dockerfile: request.dockerfile,
    labels: request.labels,
    buildargs: request.buildArgs,
    nocache: request.noCache,
    rm: true,
    forcerm: true,
    abortSignal: request.signal,
  };
}
