import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSlipwayResources } from '../support/cleanup';
import {
  deployAndWait,
  engineWithClient,
  gitCommitAll,
  gitInitAndCommit,
  helloCopy,
  httpGet,
  scratchDir,
  setPageVersion,
  stopEdgeProcess,
} from '../support/deploy-fixtures';

const docker = new Docker();
const APP = 'itest-git';
const PASTED = 'itest-git-pasted';

function gitSpec(name: string, repo: string): string {
  return [
    `name: ${name}`,
    'services:',
    '  - name: web',
    '    git:',
    `      repo_clone_url: file://${repo}`,
    '      branch: main',
    '    dockerfile_path: Dockerfile',
    '    http_port: 8080',
    '    health_check:',
    '      http_path: /',
    '',
  ].join('\n');
}

describe('deploying from a git repository (file://)', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let ctx: ReturnType<typeof engineWithClient>;
  let repo: string;
  let firstCommit: string;

  beforeAll(async () => {
    scratch = await scratchDir('git');
    repo = await helloCopy(scratch.dir, 'repo');
    firstCommit = gitInitAndCommit(repo, 'v1');
    const specDir = path.join(scratch.dir, 'spec');
    await (await import('node:fs/promises')).mkdir(specDir);
    await writeFile(path.join(specDir, 'app.yaml'), gitSpec(APP, repo));
    ctx = engineWithClient(path.join(scratch.dir, 'data'));
    await ctx.client.apps.create({ specPath: path.join(specDir, 'app.yaml') });
  });

  afterAll(async () => {
    for (const app of [APP, PASTED]) await ctx.client.apps.delete({ app }).catch(() => undefined);
    await ctx.engine.close();
    await stopEdgeProcess(path.join(scratch.dir, 'data'));
    for (const app of [APP, PASTED]) await removeSlipwayResources(docker, { app });
    await scratch.remove();
  });

  it('deploys the branch head and records the commit', async () => {
    const d = await deployAndWait(ctx.client, APP);
    expect(d.phase, JSON.stringify(d.error)).toBe('ACTIVE');
    expect(d.sourceRevision).toBe(firstCommit);
    expect((await httpGet(d.endpoints[0]!.url)).body).toContain('<span id="version">v1</span>');
  });

  it('reuses the live image when the commit has not changed', async () => {
    const live = (await ctx.client.apps.listDeployments({ app: APP }))[0]!;
    const d = await deployAndWait(ctx.client, APP);
    expect(d.phase).toBe('ACTIVE');
    expect(d.sourceRevision).toBe(firstCommit);
    expect(d.images.web).toMatchObject({ built: false, id: live.images.web!.id });
    expect(d.progress[0]!.steps!.find((s) => s.name === 'build.web')).toMatchObject({ status: 'SKIPPED' });
  });

  it('deploys a new commit, then redeploys its revision by building it again', async () => {
    await setPageVersion(repo, 'v2');
    const second = gitCommitAll(repo, 'v2');
    const v2 = await deployAndWait(ctx.client, APP);
    expect(v2.sourceRevision).toBe(second);
    expect((await httpGet(v2.endpoints[0]!.url)).body).toContain('v2');

    await setPageVersion(repo, 'v3');
    gitCommitAll(repo, 'v3 not yet deployed');
    const again = await deployAndWait(ctx.client, APP, { source: 'same-revision' });
    expect(again.phase).toBe('ACTIVE');
    expect(again.sourceRevision).toBe(second);
    expect(again.images.web!.built).toBe(true);
    expect((await httpGet(again.endpoints[0]!.url)).body).toContain('v2');
  });

  it('creates an app from pasted YAML without a folder when every component comes from git', async () => {
    const created = await ctx.client.apps.create({ specYaml: gitSpec(PASTED, repo) });
    expect(created.sourcePath).toBeNull();
    const d = await deployAndWait(ctx.client, PASTED);
    expect(d.phase, JSON.stringify(d.error)).toBe('ACTIVE');
    expect(d.sourceRevision).toMatch(/^[0-9a-f]{40}$/);
    // Editing the spec in place keeps it folder-less; a component that needs a folder is then refused by field.
    const local = gitSpec(PASTED, repo).replace(/ {4}git:\n.*\n.*\n/, '');
    await expect(ctx.client.apps.update({ app: PASTED, specYaml: local })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      details: { issues: [{ path: 'sourcePath' }] },
    });
    await expect(
      ctx.client.apps.create({ specYaml: local.replace(PASTED, 'itest-needs-folder') }),
    ).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('sourcePath: web builds from a folder'),
    });
  });
});
