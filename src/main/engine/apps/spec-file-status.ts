import path from 'node:path';
import type { AppDetail } from '../../../shared/domains/apps';
import { SlipwayError } from '../../../shared/errors';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { specChanges } from '../deploy/spec-changes';
import type { EngineContext } from '../engine-context';
import type { AppRecord } from '../store/state-store';
import { findApp } from './app-lookup';
import { readSpecFile } from './spec-file';

/**
 * For an app whose spec follows a file: how many of its fields differ from the live spec (the
 * app's spec when nothing is live), or why it cannot be deployed. Read now, never stored.
 */
export async function specFileStatus(ctx: EngineContext, record: AppRecord): Promise<AppDetail['specFile']> {
  const file = record.specFile;
  if (!file) return undefined;
  let yaml: string;
  try {
    yaml = await readSpecFile(file);
  } catch (err) {
    if (!(err instanceof SlipwayError)) throw err;
    return { path: file, changedFields: 0, error: err.message };
  }
  const loaded = loadAppSpec(yaml);
  if (!loaded.spec) {
    const first = loaded.errors[0];
    const where = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : '';
    return {
      path: file,
      changedFields: 0,
      error: `${path.basename(file)} does not load: ${loaded.errors.length} error(s)${where ? `, first ${where}` : ''}`,
    };
  }
  const live = ctx.liveDeployment(record.name)?.specYaml ?? record.specYaml;
  return { path: file, changedFields: specChanges(live, yaml, ctx.secrets, { before: '', after: '' }).changedFields };
}

/** An app's detail with its spec file's status (see specFileStatus). */
export async function withSpecFileStatus(ctx: EngineContext, detail: AppDetail): Promise<AppDetail> {
  const record = findApp(ctx, detail.name);
  const specFile = record ? await specFileStatus(ctx, record) : undefined;
  return specFile ? { ...detail, specFile } : detail;
}
