import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AppSpec } from '../../../shared/spec/app-spec';
import { SlipwayError } from '../../../shared/errors';
import type { SecretBox } from '../secrets/secret-box';
import { openUrlCredentials, redactCredentials, splitUrlCredentials } from '../secrets/url-credentials';
import { fetchGitSource } from '../source/git-source';
import { ensurePrivateDir } from '../store/private-files';

export interface SourceCheckout {
  /** The folder a component's source_dir and dockerfile_path are read from. */
  root: string;
  /** The git commit, or null for a local folder. */
  revision: string | null;
  /** The git commit's subject, or null for a local folder. */
  subject: string | null;
}

export interface CheckoutRequest {
  spec: AppSpec;
  app: string;
  /** The folder of a local app; null when no component builds from one. */
  localRoot: string | null;
  dataDir: string;
  /** A git revision to check out instead of the branch head (a redeploy). */
  revision: string | null;
  /** Opens a clone URL's sealed credential, for git alone. */
  secrets: SecretBox;
  log(line: string): void;
  signal: AbortSignal;
}

/** Each component's source: its git repository fetched once per deployment (cached per app), or the app's folder. */
export async function checkoutSources(request: CheckoutRequest): Promise<Map<string, SourceCheckout>> {
  const byRepo = new Map<string, Promise<SourceCheckout>>();
  const out = new Map<string, SourceCheckout>();
  for (const component of request.spec.components) {
    const source = component.source;
    if (source.type === 'image') {
      out.set(component.name, { root: '', revision: null, subject: null });
      continue;
    }
    if (source.type === 'local') {
      // Refused when the app is created or updated; a record edited by hand could still lack it.
      if (!request.localRoot) {
        throw new SlipwayError(
          'SOURCE_NOT_FOUND',
          `${component.name} builds from a local folder, but the app has none.`,
        );
      }
      out.set(component.name, { root: request.localRoot, revision: null, subject: null });
      continue;
    }
    // The stored spec holds the credential sealed (each component's apart); opened here, in memory, for git alone.
    const url = openUrlCredentials(source.url, request.secrets);
    const key = `${url}#${source.branch ?? ''}`;
    if (!byRepo.has(key)) {
      const cacheRoot = path.join(request.dataDir, 'cache');
      const appCache = path.join(cacheRoot, 'git', request.app);
      // A checkout is the user's source code: no other user may reach it. Folders an older version made 0755 are
      // tightened; the modes below the checkout are the repository's own, and go into the image as they are.
      for (const dir of [cacheRoot, path.join(cacheRoot, 'git'), appCache]) await ensurePrivateDir(dir);
      // Named by the URL without its credential: a new token keeps the cache.
      const cacheName = `${splitUrlCredentials(url).url}#${source.branch ?? ''}`;
      const cacheDir = path.join(appCache, createHash('sha256').update(cacheName).digest('hex').slice(0, 16));
      request.log(`Fetching ${redactCredentials(url)}${source.branch ? ` (${source.branch})` : ''}`);
      byRepo.set(
        key,
        fetchGitSource({
          url,
          branch: source.branch ?? undefined,
          ...(request.revision ? { commit: request.revision } : {}),
          cacheDir,
          onLog: request.log,
          signal: request.signal,
        }).then(({ dir, commit, subject }) => {
          request.log(`Source at commit ${commit}${subject ? `: ${subject}` : ''}`);
          return { root: dir, revision: commit, subject };
        }),
      );
    }
    out.set(component.name, await byRepo.get(key)!);
  }
  return out;
}
