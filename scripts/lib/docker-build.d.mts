import type Docker from 'dockerode';

export interface BuildMessage {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}
/** The image's inspect data, or null when the engine has no image by that name. */
export function inspectImage(docker: Docker, name: string): Promise<Docker.ImageInspectInfo | null>;
/** The build request for a context folder. */
export function buildRequest(
  tag: string,
  labels: Record<string, string>,
): { t: string; rm: true; forcerm: true; labels: Record<string, string> };
/** The built image's id from the builder's messages, or the builder's error. */
export function buildOutcome(tag: string, messages: BuildMessage[]): string | null;
/** Builds the context folder into `tag`; returns the image id. */
export function buildImageFromFolder(
  docker: Docker,
  folder: string,
  tag: string,
  labels?: Record<string, string>,
): Promise<string | null>;
/** Points `tag` (repo:tag) at the image `id`. */
export function tagImage(docker: Docker, id: string, tag: string): Promise<void>;
