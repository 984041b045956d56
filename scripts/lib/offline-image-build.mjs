// Turning a recipe into tagged images, and nothing when the tags already hold the same content.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildImageFromFolder, inspectImage, tagImage } from './docker-build.mjs';
import { rootfsFingerprint, writeRootfs } from './image-rootfs.mjs';

/** The label that marks an image as built by `npm run offline-images`, with a hash of what went into it. */
export const FINGERPRINT_LABEL = 'dev.slipway.offline-image.fingerprint';

// Part of every fingerprint: bump it when how images are put together changes, so they are rebuilt.
const BUILD_FORMAT = 'slipway offline image 2';

/** The labels an offline image carries. */
export function offlineImageLabels(recipe, fingerprint) {
  return {
    'org.opencontainers.image.description': recipe.description,
    'org.opencontainers.image.version': recipe.version,
    [FINGERPRINT_LABEL]: fingerprint,
  };
}

/** True for an image some registry (or the user) put there: the script never replaces one. */
function foreign(image) {
  return image !== null && !image.Config?.Labels?.[FINGERPRINT_LABEL];
}

/**
 * Builds the recipe's image unless its first tag already holds the same content, then points
 * every tag at it; a tag held by an image Slipway did not build is left alone.
 */
export async function ensureRecipeImage(docker, recipe, log = () => {}) {
  const [primary, ...others] = recipe.tags;
  const base = {
    image: primary,
    tags: recipe.tags,
    version: recipe.version,
    detail: recipe.summary,
    notes: recipe.notes,
  };
  const fingerprint = await rootfsFingerprint(
    recipe.rootfs,
    [BUILD_FORMAT, recipe.dockerfile, JSON.stringify(offlineImageLabels(recipe, ''))].join('\0'),
  );
  const existing = await inspectImage(docker, primary);
  if (foreign(existing))
    return { ...base, status: 'kept', id: existing.Id, detail: `${primary} is not Slipway's: kept as it is` };

  let id = existing?.Id ?? null;
  let status = 'up to date';
  if (existing?.Config?.Labels?.[FINGERPRINT_LABEL] !== fingerprint) {
    log(`Building ${primary} from this machine's ${recipe.summary}…`);
    const started = Date.now();
    id = await buildFromRecipe(docker, recipe, offlineImageLabels(recipe, fingerprint));
    status = 'built';
    base.seconds = (Date.now() - started) / 1000;
  }
  for (const tag of others) {
    const current = await inspectImage(docker, tag);
    if (current?.Id === id || foreign(current)) continue;
    await tagImage(docker, id, tag);
  }
  // The replaced image, once untagged; the engine refuses while a container or an app image uses it.
  if (existing && existing.Id !== id)
    await docker
      .getImage(existing.Id)
      .remove()
      .catch(() => undefined);
  return { ...base, status, id };
}

async function buildFromRecipe(docker, recipe, labels) {
  const context = await mkdtemp(path.join(tmpdir(), `slipway-offline-${recipe.key}-`));
  try {
    await writeFile(path.join(context, 'Dockerfile'), recipe.dockerfile);
    await writeRootfs(recipe.rootfs, path.join(context, 'rootfs'));
    const id = await buildImageFromFolder(docker, context, recipe.tags[0], labels);
    if (!id) throw new Error(`Building ${recipe.tags[0]} gave no image id`);
    return id;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
