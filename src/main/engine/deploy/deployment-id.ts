import { randomBytes } from 'node:crypto';

/** A new deployment id: sortable by creation time, lowercase, safe in names, tags and file names. */
export function newDeploymentId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;
}
