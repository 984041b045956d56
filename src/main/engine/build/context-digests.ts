import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { listBuildContext, type BuildContextOptions } from './build-context';
import { shortDigest, type DigestMap } from './digest-map';

/**
 * The files a component's build context sends, by content: the same list `createBuildContext` packs
 * (its .dockerignore honoured, a Dockerfile from outside included), keyed by their path in the source folder.
 */
export async function contextDigests(options: BuildContextOptions): Promise<DigestMap> {
  const listing = await listBuildContext(options);
  const out: DigestMap = {};
  const key = (rel: string) => (listing.contextRel === '' ? rel : `${listing.contextRel}/${rel}`);
  for (const entry of listing.entries) {
    const path = join(listing.contextReal, entry.rel);
    if (entry.kind === 'file') out[key(entry.rel)] = await fileDigest(path);
    // A link is sent as a link: what it points to is its content.
    else if (entry.kind === 'symlink')
      out[key(entry.rel)] = shortDigest(createHash('sha256').update(`link:${await readlink(path)}`));
  }
  if (listing.outsideDockerfile) {
    out[listing.outsideDockerfile.rel] = shortDigest(createHash('sha256').update(listing.outsideDockerfile.content));
  }
  return out;
}

/** Streamed, so a large file never sits in memory whole. */
async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return shortDigest(hash);
}
