/*
 * An app may carry a name of its own (`apps create --name`), as DigitalOcean's "Deploy to DigitalOcean" button lets
 * the user rename a template's app. The spec keeps the name it was written with; Slipway stores and deploys it under
 * the app's name, and a spec file read again on every deploy is renamed the same way each time.
 */
import { parseDocument } from 'yaml';
import { SlipwayError } from '../../../shared/errors';
import type { AppRecord } from '../store/state-store';

/** The spec text with its top-level `name` set to `name`, everything else as written. */
export function renameSpec(yaml: string, name: string): string {
  const doc = parseDocument(yaml);
  doc.set('name', name);
  return doc.toString({ lineWidth: 0 });
}

/**
 * The spec text as the app stores it: renamed to the app's name when the spec names what the app was created
 * from; refused (naming `where`, the file or the request) when it names another app.
 */
export function specForApp(
  record: Pick<AppRecord, 'name' | 'specName'>,
  yaml: string,
  specName: string,
  where: string,
): string {
  if (specName === record.name) return yaml;
  if (record.specName !== undefined && specName === record.specName) return renameSpec(yaml, record.name);
  throw new SlipwayError(
    'SPEC_INVALID',
    `name: ${where} names ${specName}, but this is ${record.name}; an app cannot be renamed.`,
    { errors: [{ path: 'name', message: 'cannot change' }], warnings: [] },
  );
}
