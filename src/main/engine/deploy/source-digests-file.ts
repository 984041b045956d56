import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DigestMap } from '../build/digest-map';
import { ensurePrivateDir, writePrivateFile } from '../store/private-files';

/**
 * The per-file digests of the last deployment of an app that read its folder: one file per app,
 * `<data>/cache/source-digests/<app>.json`, outside the state file (a big folder's map would be rewritten with
 * every state write) and replaced by each deployment, so it stays one map per app whatever the history's length.
 */
export interface StoredDigests {
  deployment: string;
  files: DigestMap;
}

/** More files than this are not stored: "files changed" is then unknown, rather than a map of many megabytes. */
export const MAX_STORED_DIGESTS = 100_000;

function fileOf(dataDir: string, app: string): string {
  return path.join(dataDir, 'cache', 'source-digests', `${app}.json`);
}

/** The stored digests of an app, or null when there are none (or they cannot be read: a comparison is then skipped). */
export async function readSourceDigests(dataDir: string, app: string): Promise<StoredDigests | null> {
  try {
    const parsed = JSON.parse(await readFile(fileOf(dataDir, app), 'utf8')) as Partial<StoredDigests>;
    return typeof parsed.deployment === 'string' && parsed.files && typeof parsed.files === 'object'
      ? { deployment: parsed.deployment, files: parsed.files }
      : null;
  } catch {
    return null;
  }
}

/** Replaces an app's stored digests with a deployment's; false when there are too many files to keep. */
export async function writeSourceDigests(dataDir: string, app: string, digests: StoredDigests): Promise<boolean> {
  if (Object.keys(digests.files).length > MAX_STORED_DIGESTS) return false;
  const cacheRoot = path.join(dataDir, 'cache');
  for (const dir of [cacheRoot, path.join(cacheRoot, 'source-digests')]) await ensurePrivateDir(dir);
  // Not durable: losing it to a power cut only makes the next "files changed" unknown.
  await writePrivateFile(fileOf(dataDir, app), JSON.stringify(digests), { durable: false });
  return true;
}
