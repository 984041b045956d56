/** The official images generated builds start from, by name, and which version to use when the source names none. */

export const nodeImage = (major: string) => `node:${major}-bookworm-slim`;
export const pythonImage = (version: string) => `python:${version}-slim-bookworm`;
export const goImage = (version: string) => `golang:${version}-bookworm`;
/** Where a static CGO_ENABLED=0 binary runs: no shell, CA certificates and time zones included. */
export const GO_RUNTIME_IMAGE = 'gcr.io/distroless/static-debian12';
/** For a Go binary started by a run_command, which needs a shell. */
export const GO_SHELL_RUNTIME_IMAGE = 'debian:bookworm-slim';
export const STATIC_BUILDER_IMAGE = 'busybox:stable';
export const CADDY_IMAGE = 'caddy:2';

/** Used when the source names no version and the builder has none of the language's images. */
export const DEFAULT_VERSIONS = { node: '22', python: '3.12', go: '1.23' } as const;

/** Image references present on the builder (`repository:tag`), for choosing a default version. */
export type ImageList = readonly string[];

/**
 * The newest version among the builder's images of one kind (`node:20-bookworm-slim` → '20'),
 * so a machine without a registry builds with what it has; `atLeast` keeps only versions not older.
 */
export function newestPresent(images: ImageList, image: (v: string) => string, atLeast?: string): string | null {
  const [before, after] = image('\u0000').split('\u0000') as [string, string];
  const versions = images
    .filter((ref) => ref.startsWith(before) && ref.endsWith(after))
    .map((ref) => ref.slice(before.length, ref.length - after.length))
    .filter((v) => /^\d+(\.\d+)*$/.test(v))
    .filter((v) => atLeast === undefined || compareVersions(v, atLeast) >= 0);
  versions.sort(compareVersions);
  return versions.at(-1) ?? null;
}

/** Numeric comparison of dotted versions: '3.9' < '3.11'. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
