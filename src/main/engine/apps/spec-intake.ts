import type { AppDetail } from '../../../shared/domains/apps';
import { SlipwayError } from '../../../shared/errors';
import type { AppSpec, SpecLoadResult } from '../../../shared/spec/app-spec';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { keepMaskedSecrets, sealSpecSecrets } from '../secrets/seal-spec';
import type { AppRecord } from '../store/state-store';
import { appOrThrow, findApp } from './app-lookup';
import type { AppsScope } from './apps-scope';
import { appDetail } from './app-views';
import { checkHostPorts } from './host-ports';
import { checkSourceFolder, resolveSpecFile, sourceRootForSpec } from './source-path';
import { readSpecFile, specInvalid } from './spec-file';
import { withBuildProblems } from './build-problems';
import { renameSpec, specForApp } from './app-name';

/** Where a spec comes from: a file (its folder is the source), or its text with an optional source folder. */
export type SpecInput = { specPath: string } | { specYaml: string; sourcePath?: string };

export type CreateAppInput = SpecInput & {
  /** The app's own name, when it is not the spec's. */
  name?: string;
  hostPorts?: Record<string, number>;
  server?: string;
  buildMode?: 'server' | 'local';
};

export type UpdateAppInput = SpecInput & { app: string; hostPorts?: Record<string, number> };

/**
 * Checks a spec without storing it; secret values never travel back to a screen. With its source
 * folder, a component Slipway cannot build from it (LANGUAGE_UNSUPPORTED) is an error too.
 */
export function validateSpec(specYaml: string, sourcePath?: string): SpecLoadResult {
  const result = withBuildProblems(loadAppSpec(specYaml), sourcePath);
  if (result.spec) {
    for (const c of result.spec.components) for (const e of c.envs) if (e.type === 'SECRET') e.value = '********';
  }
  return result;
}

/** The spec's text, the file it was read from (none for text) and the folder its local components build from (null when none was given). */
export async function readSpec(input: SpecInput): Promise<{ yaml: string; file?: string; sourcePath: string | null }> {
  if ('specPath' in input) {
    const file = await resolveSpecFile(input.specPath);
    const yaml = await readSpecFile(file);
    return { yaml, file, sourcePath: await checkSourceFolder(sourceRootForSpec(file), 'specPath') };
  }
  const sourcePath = input.sourcePath ? await checkSourceFolder(input.sourcePath, 'sourcePath') : null;
  return { yaml: input.specYaml, sourcePath };
}

/** Refuses a spec with components that build from a folder when no folder is known. */
export function requireSourceFolder(spec: AppSpec, sourcePath: string | null): void {
  const local = spec.components.filter((c) => c.source.type === 'local').map((c) => c.name);
  if (local.length === 0 || sourcePath) return;
  throw new SlipwayError(
    'INVALID_REQUEST',
    `sourcePath: ${local.join(', ')} ${local.length === 1 ? 'builds' : 'build'} from a folder on this machine (no git or image source); give that folder.`,
    { issues: [{ path: 'sourcePath', message: 'required: a component builds from a local folder' }] },
  );
}

/** The spec, or SPEC_INVALID with every error. */
function loadOrThrow(yaml: string) {
  const result = loadAppSpec(yaml);
  if (!result.spec) throw specInvalid(result.errors, result.warnings);
  return { spec: result.spec, warnings: result.warnings };
}

/** Stores a new app: its spec validated, its secrets sealed, its host ports checked. */
export async function createApp(scope: AppsScope, input: CreateAppInput): Promise<AppDetail> {
  const { ctx } = scope;
  if (input.server && input.server !== 'local' && !ctx.store.state.servers.some((s) => s.name === input.server)) {
    throw new SlipwayError('SERVER_NOT_FOUND', `server: there is no server named ${input.server}; add it first.`, {
      issues: [{ path: 'server', message: 'unknown server' }],
    });
  }
  const read = await readSpec(input);
  const { file, sourcePath } = read;
  const { spec } = loadOrThrow(read.yaml);
  requireSourceFolder(spec, sourcePath);
  const name = input.name ?? spec.name;
  const yaml = name === spec.name ? read.yaml : renameSpec(read.yaml, name);
  if (findApp(ctx, name)) {
    throw new SlipwayError(
      'APP_EXISTS',
      `An app named ${name} exists already; update it instead, or give another --name.`,
      {
        app: name,
      },
    );
  }
  checkHostPorts(
    ctx.store.state.apps,
    name,
    spec.components.map((c) => c.name),
    input.hostPorts ?? {},
  );
  const now = new Date().toISOString();
  const record: AppRecord = {
    name,
    ...(name === spec.name ? {} : { specName: spec.name }),
    server: input.server ?? 'local',
    ...(input.buildMode ? { buildMode: input.buildMode } : {}),
    specYaml: sealSpecSecrets(yaml, ctx.secrets),
    sourcePath,
    hostPorts: { ...(input.hostPorts ?? {}) },
    // Created from a file, the app follows it: every deploy reads it again.
    ...(file ? { specFile: file } : {}),
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.update((state) => state.apps.push(record));
  scope.emit({ type: 'app', app: scope.summary(record) });
  return appDetail(scope.summary(record), record);
}

/**
 * Replaces an app's spec (never its name); host ports given are added to those it holds. A file
 * re-points a file-backed app to it; text detaches an app from its file.
 */
export async function updateApp(scope: AppsScope, input: UpdateAppInput): Promise<AppDetail> {
  const { ctx } = scope;
  const record = appOrThrow(ctx, input.app);
  const read = await readSpec(input);
  // A spec edited in place keeps the app's folder.
  const sourcePath = read.sourcePath ?? record.sourcePath;
  const { spec } = loadOrThrow(read.yaml);
  requireSourceFolder(spec, sourcePath);
  const yaml = specForApp(record, read.yaml, spec.name, read.file ?? 'the spec');
  const hostPorts = { ...record.hostPorts, ...(input.hostPorts ?? {}) };
  checkHostPorts(
    ctx.store.state.apps,
    record.name,
    spec.components.map((c) => c.name),
    hostPorts,
  );
  await ctx.store.update(() => {
    // A screen never receives secret values: where it sends the mask back, the stored value stays.
    record.specYaml = sealSpecSecrets(keepMaskedSecrets(yaml, record.specYaml), ctx.secrets);
    record.sourcePath = sourcePath;
    record.hostPorts = hostPorts;
    // A file-backed app given another file follows that one; a spec edited as text is Slipway's from now on.
    if (read.file && record.specFile) record.specFile = read.file;
    else if (!read.file) delete record.specFile;
    record.updatedAt = new Date().toISOString();
  });
  scope.emit({ type: 'app', app: scope.summary(record) });
  return appDetail(scope.summary(record), record);
}
