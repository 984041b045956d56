import type { DeploymentSource } from '../../../shared/deployment';
import { contextDigests } from '../build/context-digests';
import { contentHash, filesChanged, type DigestMap } from '../build/digest-map';
import type { SourceCheckout } from './checkout-sources';
import type { RunContext } from './run-context';
import { readSourceDigests, writeSourceDigests } from './source-digests-file';

/** A git app's source: the first git component's commit and subject (an app's git components share one fetch per repository). */
export function gitSourceOf(checkouts: Map<string, SourceCheckout>): DeploymentSource | null {
  for (const checkout of checkouts.values()) {
    if (checkout.revision) return { kind: 'git', commit: checkout.revision, subject: checkout.subject ?? '' };
  }
  return null;
}

/**
 * What a deployment builds from: a git commit, or the app folder's build contexts by content, with how many
 * files changed since the last deployment that read the folder. Null when it builds nothing from a source.
 */
export async function deploymentSource(
  run: RunContext,
  checkouts: Map<string, SourceCheckout>,
): Promise<DeploymentSource | null> {
  const git = gitSourceOf(checkouts);
  if (git) return git;
  const local = run.spec.components.filter((c) => c.source.type === 'local');
  const root = run.app.sourcePath;
  if (local.length === 0 || !root) return null;
  const files: DigestMap = {};
  try {
    for (const component of local) {
      Object.assign(
        files,
        await contextDigests({
          sourceRoot: root,
          sourceDir: component.sourceDir,
          dockerfilePath: component.dockerfilePath,
          generatedWhenMissing: !component.dockerfileGiven,
        }),
      );
    }
  } catch {
    // A folder that cannot be read fails its component's build step, with the reason, as before.
    return null;
  }
  const { dataDir } = run.ctx;
  const previous = await readSourceDigests(dataDir, run.app.name);
  // Only a deployment of this app still on record counts: an app deleted and made again starts afresh.
  const known =
    previous !== null &&
    previous.deployment !== run.deployment.id &&
    run.ctx.store.state.deployments.some((d) => d.app === run.app.name && d.id === previous.deployment);
  const source: DeploymentSource = {
    kind: 'folder',
    contentHash: contentHash(files),
    files: Object.keys(files).length,
    filesChanged: filesChanged(known ? previous.files : null, files),
  };
  const stored = await writeSourceDigests(dataDir, run.app.name, { deployment: run.deployment.id, files }).catch(
    () => false,
  );
  run.log.write(
    'build',
    `Source: ${source.files} files, content ${source.contentHash.slice(0, 12)}${
      source.filesChanged === null ? '' : `, ${source.filesChanged} changed since ${previous!.deployment}`
    }${stored ? '' : '; the file list was not kept, so the next deployment cannot count changes'}`,
  );
  return source;
}
