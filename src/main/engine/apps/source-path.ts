import { stat } from 'node:fs/promises';
import path from 'node:path';
import { SlipwayError } from '../../../shared/errors';

/**
 * The folder a local source is read from, given the spec file's path: the
 * spec's own folder, or the repository root when the spec sits in `.do/`
 * (where DigitalOcean keeps `app.yaml` and `deploy.template.yaml`).
 */
export function sourceRootForSpec(specPath: string): string {
  const dir = path.dirname(path.resolve(specPath));
  return path.basename(dir) === '.do' ? path.dirname(dir) : dir;
}

/** Where a spec is looked for in an app's folder, first found wins: DigitalOcean's places, then the folder itself. */
export const SPEC_FILES_IN_FOLDER = ['.do/app.yaml', 'app.yaml', '.do/deploy.template.yaml'] as const;

/**
 * The spec file a `specPath` names: the path itself when it is a file, or the
 * first of {@link SPEC_FILES_IN_FOLDER} in it when it is a folder.
 */
export async function resolveSpecFile(specPath: string): Promise<string> {
  const absolute = path.resolve(specPath);
  const info = await stat(absolute).catch(() => null);
  if (!info?.isDirectory()) return absolute;
  for (const candidate of SPEC_FILES_IN_FOLDER) {
    const file = path.join(absolute, candidate);
    if ((await stat(file).catch(() => null))?.isFile()) return file;
  }
  throw new SlipwayError(
    'INVALID_REQUEST',
    `specPath: ${absolute} has no app spec (looked for ${SPEC_FILES_IN_FOLDER.join(', ')}).`,
    { issues: [{ path: 'specPath', message: 'folder has no app spec' }] },
  );
}

/** Checks that a source folder exists and is a folder; returns its absolute path. */
export async function checkSourceFolder(folder: string, field: string): Promise<string> {
  const absolute = path.resolve(folder);
  const info = await stat(absolute).catch(() => null);
  if (!info?.isDirectory()) {
    throw new SlipwayError('INVALID_REQUEST', `${field}: ${absolute} is not a folder.`, {
      issues: [{ path: field, message: 'is not a folder' }],
    });
  }
  return absolute;
}
