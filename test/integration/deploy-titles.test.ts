import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/shared/deployment';
import { useCliScratch } from '../support/cli-scratch';
import { gitInitAndCommit, writeSiteApp } from '../support/deploy-fixtures';
import { runSlipway } from '../support/slipway-process';

const FOLDER_APP = 'titles-folder';
const GIT_APP = 'titles-git';
const QUEUE_APP = 'titles-queue';

const scratch = useCliScratch('titles', [FOLDER_APP, GIT_APP, QUEUE_APP]);

async function cli(...argv: string[]) {
  const run = await runSlipway(scratch.data(), argv);
  expect(run.code, `slipway ${argv.join(' ')}:\n${run.out}\n${run.err}`).toBe(0);
  return run.out;
}

async function json<T>(...argv: string[]): Promise<T> {
  return JSON.parse(await cli(...argv, '-o', 'json')) as T;
}

/** Deploys through the CLI as a user does (`--wait`), and gives the deployment it started, as listed. */
async function deployed(app: string, ...argv: string[]): Promise<Deployment> {
  const before = new Set((await json<Deployment[]>('apps', 'list-deployments', app)).map((d) => d.id));
  await cli('apps', ...argv, app, '--wait');
  const [made] = (await json<Deployment[]>('apps', 'list-deployments', app)).filter((d) => !before.has(d.id));
  expect(made, 'a new deployment').toBeDefined();
  return made!;
}

async function firstDeployLogLine(app: string, id: string): Promise<string> {
  const out = await cli('apps', 'logs', app, '--type', 'deploy', '--deployment', id);
  return out.split('\n')[0]!;
}

describe('deployment titles and descriptions (the built CLI)', () => {
  it('records --title and --description, shows them in list/get JSON and text, and starts the deploy log with them', async () => {
    const dir = await writeSiteApp(scratch.dir(), { name: FOLDER_APP });
    await cli('apps', 'create', '--spec', path.join(dir, 'app.yaml'));
    const title = 'Ship the <b>new</b> page — 日本語 🚀';
    const description = 'First line of the note\nsecond line';

    const first = await deployed(FOLDER_APP, 'deploy', '--title', title, '--description', description);
    expect(first).toMatchObject({ phase: 'ACTIVE', title, description, cause: 'manual' });
    const got = await json<Deployment>('apps', 'get-deployment', FOLDER_APP, first.id);
    expect(got).toMatchObject({ title, description });
    expect(await firstDeployLogLine(FOLDER_APP, first.id)).toBe(`${title}: First line of the note`);
    const text = await cli('apps', 'get-deployment', FOLDER_APP, first.id);
    expect(text).toContain(`Title:     ${title}\nNote:      First line of the note\n           second line\n`);
    expect(await cli('apps', 'list-deployments', FOLDER_APP)).toContain(title);

    // The first deployment of a folder has nothing to compare with.
    expect(first.source).toMatchObject({ kind: 'folder', files: 3, filesChanged: null });
    expect(first.source?.kind === 'folder' && first.source.contentHash).toMatch(/^[0-9a-f]{64}$/);

    // The user edits one file; the next deploy says one file changed, and has the default title.
    await writeFile(path.join(dir, 'site', 'index.html'), `${FOLDER_APP} v2\n`);
    const second = await deployed(FOLDER_APP, 'deploy');
    expect(second).toMatchObject({ phase: 'ACTIVE', title: 'Manual deployment' });
    expect(second.description).toBeUndefined();
    expect(second.source).toMatchObject({ kind: 'folder', files: 3, filesChanged: 1 });
    expect(second.source?.kind === 'folder' && second.source.contentHash).not.toBe(
      first.source?.kind === 'folder' && first.source.contentHash,
    );
    expect(await firstDeployLogLine(FOLDER_APP, second.id)).toBe('Manual deployment');
    const listed = (await cli('apps', 'list-deployments', FOLDER_APP)).split('\n');
    expect(listed.find((l) => l.startsWith(second.id))).toMatch(/Manual deployment\s+ACTIVE\s+1 file changed/);

    // A redeploy builds the same folder again: titled after Dokploy, nothing changed.
    const third = await deployed(FOLDER_APP, 'redeploy');
    expect(third).toMatchObject({ phase: 'ACTIVE', title: 'Rebuild deployment', cause: 'redeploy' });
    expect(third.source).toMatchObject({ kind: 'folder', filesChanged: 0 });
    expect(await firstDeployLogLine(FOLDER_APP, third.id)).toBe('Rebuild deployment');
  });

  it('refuses a 201-character title, naming the field, and queues nothing', async () => {
    const before = await json<Deployment[]>('apps', 'list-deployments', FOLDER_APP);
    const run = await runSlipway(scratch.data(), ['apps', 'deploy', FOLDER_APP, '--title', 'x'.repeat(201)]);
    expect(run.code).not.toBe(0);
    expect(run.err).toContain('title: must be at most 200 characters');
    const controls = await runSlipway(scratch.data(), ['apps', 'redeploy', FOLDER_APP, '--description', 'a\u001bb']);
    expect(controls.code).not.toBe(0);
    expect(controls.err).toContain('description: must not contain control characters');
    expect(await json<Deployment[]>('apps', 'list-deployments', FOLDER_APP)).toHaveLength(before.length);
  });

  it("records a git app's commit and subject, shown in list-deployments", async () => {
    const repo = path.join(scratch.dir(), 'repo');
    await writeSiteApp(scratch.dir(), { name: 'repo' });
    const commit = gitInitAndCommit(repo, 'Fix login for long passwords');
    const specDir = path.join(scratch.dir(), 'git-spec');
    await mkdir(specDir);
    const spec = [
      `name: ${GIT_APP}`,
      'services:',
      '  - name: web',
      '    git:',
      `      repo_clone_url: file://${repo}`,
      '      branch: main',
      '    dockerfile_path: Dockerfile',
      '    http_port: 8080',
      '',
    ].join('\n');
    await writeFile(path.join(specDir, 'app.yaml'), spec);
    await cli('apps', 'create', '--spec', path.join(specDir, 'app.yaml'));
    const d = await deployed(GIT_APP, 'deploy');
    expect(d.source).toEqual({ kind: 'git', commit, subject: 'Fix login for long passwords' });
    expect(d.sourceRevision).toBe(commit);
    const row = (await cli('apps', 'list-deployments', GIT_APP)).split('\n').find((l) => l.startsWith(d.id));
    expect(row).toContain(`${commit.slice(0, 7)} Fix login for long passwords`);
  });

  it('records queue entries dropped by clean-queue as DROPPED, with no duration', async () => {
    // The first build is held in its RUN step until canceled, so the next two wait in the queue.
    const dockerfile =
      'FROM busybox:stable\nCOPY site/ /www/\nRUN sleep 120\nCMD ["httpd", "-f", "-p", "8080", "-h", "/www"]\n';
    const dir = await writeSiteApp(scratch.dir(), { name: QUEUE_APP, dockerfile });
    await cli('apps', 'create', '--spec', path.join(dir, 'app.yaml'));
    const running = await json<Deployment>('apps', 'deploy', QUEUE_APP, '--title', 'Held build');
    const waiting = [
      await json<Deployment>('apps', 'deploy', QUEUE_APP, '--title', 'Waiting one'),
      await json<Deployment>('apps', 'deploy', QUEUE_APP, '--force-rebuild'),
    ];
    const queue = await json<{ running: Deployment | null; waiting: Deployment[] }>('apps', 'queue', QUEUE_APP);
    expect(queue.running?.id).toBe(running.id);
    const cleaned = await json<{ dropped: string[] }>('apps', 'clean-queue', QUEUE_APP);
    expect(cleaned.dropped).toEqual(waiting.map((d) => d.id));
    await cli('apps', 'cancel', QUEUE_APP);

    const listed = await json<Deployment[]>('apps', 'list-deployments', QUEUE_APP);
    for (const id of cleaned.dropped) {
      const d = listed.find((x) => x.id === id)!;
      expect(d).toMatchObject({ phase: 'DROPPED', dropped: { by: 'cli' } });
      expect(d.finishedAt).toBeUndefined();
      expect(d.error).toBeUndefined();
    }
    expect(listed.find((x) => x.id === running.id)?.phase).toBe('CANCELED');
    const rows = (await cli('apps', 'list-deployments', QUEUE_APP)).split('\n');
    for (const id of cleaned.dropped) {
      const row = rows.find((l) => l.startsWith(id));
      expect(row).toMatch(/\sDROPPED\s/);
      // No duration: the column shows a dash, never seconds.
      expect(row).toMatch(/\s-$/);
      expect(row).not.toMatch(/\d+\.\ds/);
    }
    const text = await cli('apps', 'get-deployment', QUEUE_APP, cleaned.dropped[0]!);
    expect(text).toContain('Dropped:   from the queue by cli');
    expect(text).not.toContain('finished');
    expect(text).toContain('Title:     Waiting one');
  });
});
