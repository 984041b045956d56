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
