import type Docker from 'dockerode';

/** Stdout and stderr from a non-TTY container's log stream. */
export function demuxLogs(buffer: Buffer): string;
/** Runs `cmd` in `image` with no network; the container is removed. */
export function runInImage(
  docker: Docker,
  image: string,
  cmd: string[],
  labels?: Record<string, string>,
): Promise<{ exitCode: number; output: string }>;
/** Runs each check of an image; returns the failures. */
export function checkImage(
  docker: Docker,
  image: string,
  checks: { cmd: string[]; expect: string }[],
): Promise<string[]>;
