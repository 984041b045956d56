import type { AppDetail, AppSummary, RollbackPreview } from '../../shared/domains/apps';
import type { DatabaseSummary } from '../../shared/domains/databases';
import type { Deployment, DeploymentStep, LogLine } from '../../shared/deployment';
import type { SpecProblem } from '../../shared/spec/app-spec';
import { displayTitle } from '../../shared/deployment-title';
import { cutText, sourceSummary } from '../../shared/deployment-source-text';
import { formatTable } from '../io';

const age = (iso: string) => {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
};

const duration = (d: Deployment) =>
  d.finishedAt ? `${((Date.parse(d.finishedAt) - Date.parse(d.createdAt)) / 1000).toFixed(1)}s` : '';

/** Where an app answers, as a list shows it: the server edge's URL where it serves the app, else this machine's. */
function listedUrl(app: AppSummary): string {
  const publicUrl = app.components.find((c) => c.publicUrls?.length)?.publicUrls?.[0];
  if (publicUrl) return new URL(publicUrl).origin;
  return app.url ?? app.components.find((c) => c.url)?.url ?? '-';
}

export function appsTable(apps: AppSummary[]): string {
  if (apps.length === 0) return 'No apps yet. Create one with: slipway apps create --spec FILE';
  return formatTable(
    ['Name', 'Server', 'Status', 'Live deployment', 'URL'],
    apps.map((a) => [
      a.name,
      a.server,
      a.activeDeployment ? `${a.status} (${a.activeDeployment.phase})` : a.status,
      a.liveDeployment ? `${a.liveDeployment.id} (${a.liveDeployment.cause}, ${age(a.liveDeployment.createdAt)})` : '-',
      listedUrl(a),
    ]),
  );
}

export function appDetailText(app: AppDetail): string {
  const lines = [
    `Name:     ${app.name}`,
    `Server:   ${app.server}`,
    `Status:   ${app.status}${app.activeDeployment ? ` (${app.activeDeployment.phase})` : ''}`,
    `Source:   ${app.sourcePath ?? 'git or image (no local folder)'}`,
    ...(app.url ? [`URL:      ${app.url} (routed by path to its components)`] : []),
    `Live:     ${app.liveDeployment ? `${app.liveDeployment.id} (${app.liveDeployment.cause}${app.liveDeployment.sourceRevision ? `, ${app.liveDeployment.sourceRevision.slice(0, 12)}` : ''})` : '-'}`,
    ...(app.failedDeployment
      ? [`Failed:   ${app.failedDeployment.id} (${app.failedDeployment.cause}): ${app.failedDeployment.message}`]
      : []),
    ...(app.specFile
      ? [
          `Spec:     ${app.specFile.path}${app.specFile.error ? ` (${app.specFile.error})` : app.specFile.changedFields > 0 ? ` (changed: ${app.specFile.changedFields} field${app.specFile.changedFields === 1 ? '' : 's'})` : ''}`,
        ]
      : []),
    ...(app.pinned ? [`Pinned:   to rollback ${app.pinned.deployment} (to ${app.pinned.target})`] : []),
    '',
    componentsTable(app.components),
  ];
  if (app.databases?.length) lines.push('', databasesTable(app.databases));
  if (app.warnings.length > 0) lines.push('', problemsText('Warning', app.warnings));
  return lines.join('\n');
}

/** An app's components; a Public URL column when the server's edge serves one of them. */
export function componentsTable(components: AppDetail['components']): string {
  const anyPublic = components.some((c) => c.publicUrls?.length);
  return formatTable(
    ['Component', 'Kind', 'Instances', 'URL', ...(anyPublic ? ['Public URL'] : [])],
    components.map((c) => [
      c.name,
      c.kind,
      String(c.instanceCount),
      c.url ?? '-',
      ...(anyPublic ? [c.publicUrls?.join(', ') || '-'] : []),
    ]),
  );
}

/** An app's databases: engine, health and volume, never a password. */
export function databasesTable(databases: DatabaseSummary[]): string {
  return formatTable(
    ['Database', 'Engine', 'Health', 'Volume', 'Size'],
    databases.map((d) => [
      d.name,
      `${d.engine} ${d.version}`,
      d.health,
      d.volume,
      d.volumeBytes === null ? '-' : `${(d.volumeBytes / 1e6).toFixed(1)} MB`,
    ]),
  );
}

export function deploymentsTable(deployments: Deployment[]): string {
  if (deployments.length === 0) return 'No deployments yet.';
  return formatTable(
    ['ID', 'Title', 'Phase', 'Source', 'Created', 'Duration'],
    deployments.map((d) => [
      d.id,
      // Titles and subjects run to 200 characters: a row shows their start, get-deployment the whole.
      cutText(displayTitle(d), 48),
      d.phase,
      sourceCell(d),
      age(d.createdAt),
      // A dropped deployment never ran: it has no duration.
      duration(d) || '-',
    ]),
  );
}

/** What a deployment was built from, in a few words; the revision for one recorded before sources were. */
function sourceCell(d: Deployment): string {
  if (d.source) return cutText(sourceSummary(d.source), 48);
  return d.sourceRevision?.slice(0, 12) ?? '-';
}

/** The source of a deployment in full: the commit and its subject, or the folder's content and what changed. */
function sourceText(d: Deployment): string {
  const s = d.source;
  if (!s) return d.sourceRevision ?? '-';
  if (s.kind === 'git') return `git ${s.commit}${s.subject ? ` ${s.subject}` : ''}`;
  const changed = s.filesChanged === null ? 'first deployment of this folder' : sourceSummary(s);
  return `folder, ${s.files} file${s.files === 1 ? '' : 's'} (content ${s.contentHash.slice(0, 12)}), ${changed}`;
}

const STATUS_MARK: Record<DeploymentStep['status'], string> = {
  PENDING: ' ',
  RUNNING: '…',
  SUCCESS: '✓',
  ERROR: '✗',
  SKIPPED: '-',
};

export function stepTreeText(steps: DeploymentStep[], depth = 0): string[] {
  return steps.flatMap((s) => [
    `${'  '.repeat(depth)}${STATUS_MARK[s.status]} ${s.title}${s.reason ? `: ${s.reason}` : ''}`,
    ...stepTreeText(s.steps ?? [], depth + 1),
  ]);
}

export function deploymentText(d: Deployment): string {
  const lines = [
    `ID:        ${d.id}`,
    `App:       ${d.app}`,
    `Title:     ${displayTitle(d)}`,
    ...(d.description ? d.description.split('\n').map((l, i) => `${i === 0 ? 'Note:      ' : '           '}${l}`) : []),
    `Cause:     ${d.cause}`,
    `Phase:     ${d.phase}`,
    `Source:    ${sourceText(d)}`,
    `Created:   ${d.createdAt}${d.finishedAt ? `, finished ${d.finishedAt} (${duration(d)})` : ''}`,
    ...(d.dropped ? [`Dropped:   from the queue by ${d.dropped.by} at ${d.dropped.at}`] : []),
  ];
  for (const [component, image] of Object.entries(d.images)) {
    lines.push(`Image:     ${component}: ${image.tag} (${image.id.slice(7, 19)}${image.built ? '' : ', reused'})`);
  }
  for (const e of d.endpoints) lines.push(`URL:       ${e.component}: ${e.url}`);
  if (d.error) {
    lines.push(`Error:     ${d.error.code}: ${d.error.message}`);
    for (const l of d.error.lastLogLines ?? []) lines.push(`  | ${l}`);
  }
  lines.push('', 'Progress:', ...stepTreeText(d.progress, 1));
  return lines.join('\n');
}

export function problemsText(kind: 'Error' | 'Warning', problems: SpecProblem[]): string {
  return problems.map((p) => `${kind}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n');
}

export function logLineText(line: LogLine): string {
  return line.component ? `${line.component} | ${line.line}` : line.line;
}

export function rollbackPreviewText(preview: RollbackPreview): string {
  const { summary } = preview;
  const short = (id: string | null) => (id ? id.replace(/^sha256:/, '').slice(0, 12) : '-');
  const lines = [
    `Rollback to ${preview.target}`,
    `Revision:  ${short(summary.sourceRevision.current)} → ${short(summary.sourceRevision.target)}`,
    ...summary.images.map((i) => `Image:     ${i.component}: ${short(i.current)} → ${short(i.target)}`),
  ];
  const { added, removed, changed } = summary.envKeys;
  if (added.length) lines.push(`Env added:   ${added.join(', ')}`);
  if (removed.length) lines.push(`Env removed: ${removed.join(', ')}`);
  if (changed.length) lines.push(`Env changed: ${changed.join(', ')}`);
  lines.push('', preview.diff || '(the specs are the same)');
  return lines.join('\n');
}
