import { createHash } from 'node:crypto';

/** A build context by content: each file's path (relative to the source folder, posix) and a short digest of it. */
export type DigestMap = Record<string, string>;

/**
 * Digests are kept to 64 bits (16 hex characters): they only tell whether a file changed between two
 * deployments of one app, where a collision by chance is out of reach, and they keep the stored map small.
 */
export const DIGEST_HEX = 16;

/** The short digest of a file's content (or a symlink's target) as it goes into a DigestMap. */
export function shortDigest(hash: ReturnType<typeof createHash>): string {
  return hash.digest('hex').slice(0, DIGEST_HEX);
}

/** One hash of a whole context: the same files with the same content give the same hash, whatever the order read. */
export function contentHash(files: DigestMap): string {
  const hash = createHash('sha256');
  for (const path of Object.keys(files).sort()) hash.update(`${path}\0${files[path]}\n`);
  return hash.digest('hex');
}

/** How many paths were added, removed or changed from `before` to `after`; null when there is no `before`. */
export function filesChanged(before: DigestMap | null, after: DigestMap): number | null {
  if (!before) return null;
  let changed = 0;
  for (const [path, digest] of Object.entries(after)) if (before[path] !== digest) changed++;
  for (const path of Object.keys(before)) if (!(path in after)) changed++;
  return changed;
}
