import path from 'node:path';
import type { Deployment } from '../../../shared/deployment';
import { deployTitle } from '../../../shared/deployment-title';
import { SlipwayError } from '../../../shared/errors';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { writeDeployLogHeading } from '../deploy/deploy-log-heading';
import { newDeploymentId } from '../deploy/deployment-id';
import { specChanges } from '../deploy/spec-changes';
import { createRedactor } from '../logs/redactor';
import { storedSpecSecrets } from '../secrets/known-secrets';
import { sealSpecSecrets } from '../secrets/seal-spec';
import type { AppRecord } from '../store/state-store';
import { specForApp } from './app-name';
import type { AppsScope } from './apps-scope';
import { readSpecFile, specInvalid } from './spec-file';
import { requireSourceFolder } from './spec-intake';

/** What a deploy was asked with: enough to record a deployment that failed before it was queued. */
export interface DeployAsked {
  source: 'latest' | 'same-revision';
  forceRebuild: boolean;
  clearCache: boolean;
  title?: string;
  description?: string;
}

/** A deploy's cause as it is recorded. */
export function deployCause(request: Pick<DeployAsked, 'source' | 'forceRebuild'>): string {
  return request.forceRebuild ? 'force rebuild' : request.source === 'same-revision' ? 'redeploy' : 'manual';
}

/** The file's spec, loaded and checked against the app, or the SlipwayError that refuses it (naming the file). */
async function loadSpecFile(record: AppRecord, file: string): Promise<string> {
  const yaml = await readSpecFile(file);
  const result = loadAppSpec(yaml);
  if (!result.spec) throw specInvalid(result.errors, result.warnings);
  requireSourceFolder(result.spec, record.sourcePath);
  return specForApp(record, yaml, result.spec.name, file);
}

/**
 * For an app whose spec follows its file: reads the file again, so the deploy asked now deploys
 * it, and makes it the app's stored spec (secrets sealed). A file that cannot be read or does not
 * load is recorded as a deployment that failed at its first step, with every error by its field,
 * and refused with that error: nothing is queued, the live version keeps serving.
 */
export function followSpecFile(scope: AppsScope, record: AppRecord, request: DeployAsked): Promise<void> {
  if (!record.specFile) return Promise.resolve();
  // One read at a time per app, resolved in the order asked: deploys asked together keep their order in the queue.
  const previous = reading.get(record.name) ?? Promise.resolve();
  const mine = previous.then(() => readAndStore(scope, record, record.specFile!, request));
  const settled = mine.catch(() => undefined);
  reading.set(record.name, settled);
  void settled.then(() => {
    if (reading.get(record.name) === settled) reading.delete(record.name);
  });
  return mine;
}

/** The reads of each app's spec file in flight, by app. */
const reading = new Map<string, Promise<void>>();

async function readAndStore(scope: AppsScope, record: AppRecord, file: string, request: DeployAsked): Promise<void> {
  const { ctx } = scope;
  let yaml: string;
  try {
    yaml = await loadSpecFile(record, file);
  } catch (err) {
    if (!(err instanceof SlipwayError)) throw err;
    const refused = new SlipwayError(err.code, `${file}: ${err.message}`, err.details);
    await recordSpecFailure(scope, record, request, refused);
    throw refused;
  }
  // An unchanged file keeps the stored spec as it is (its sealed values too).
  if (specChanges(record.specYaml, yaml, ctx.secrets, { before: '', after: '' }).changedFields === 0) return;
  await ctx.store.update(() => {
    record.specYaml = sealSpecSecrets(yaml, ctx.secrets);
    record.updatedAt = new Date().toISOString();
  });
}

/** Stores a deployment that ended ERROR at its first step, reading the spec file, with a deploy log that says why. */
async function recordSpecFailure(
  scope: AppsScope,
  record: AppRecord,
  request: DeployAsked,
  error: SlipwayError,
): Promise<Deployment> {
  const { ctx } = scope;
  const now = new Date().toISOString();
  const file = record.specFile ?? '';
  const deployment: Deployment = {
    id: newDeploymentId(),
    app: record.name,
    title: deployTitle(
      request.title,
      request.forceRebuild || request.source === 'same-revision' ? 'rebuild' : 'deploy',
    ),
    ...(request.description?.trim() ? { description: request.description } : {}),
    cause: deployCause(request),
    plan: { type: 'build', revision: null },
    phase: 'ERROR',
    // Nothing was deployed: the file's text is not kept (it may hold secrets in clear).
    specYaml: '',
    sourceRevision: null,
    images: {},
    containers: {},
    endpoints: [],
    progress: [
      {
        name: 'spec',
        title: `Read ${path.basename(file)}`,
        status: 'ERROR',
        reason: error.message,
        startedAt: now,
        endedAt: now,
      },
    ],
    options: { forceRebuild: request.forceRebuild, clearCache: request.clearCache },
    createdAt: now,
    updatedAt: now,
    finishedAt: now,
  };
  const lines = [
    `Spec read from ${file}`,
    ...error.message.split('\n'),
    'Deployment failed: the spec file does not load; the live version keeps serving.',
  ];
  deployment.error = { code: error.code, message: error.message, lastLogLines: lines };
  await ctx.store.update((state) => state.deployments.push(deployment));
  const log = await ctx.logs.open(
    record.name,
    deployment.id,
    createRedactor(storedSpecSecrets(record.specYaml, ctx.secrets)),
  );
  try {
    writeDeployLogHeading(log, deployment);
    for (const line of lines) log.write('deploy', line);
  } finally {
    await log.close();
  }
  scope.emit({ type: 'deployment', deployment });
  scope.emit({ type: 'app', app: scope.summary(record) });
  return deployment;
}
