import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpecPlanResult } from '../../src/shared/build-plan';
import type { Deployment } from '../../src/shared/deployment';
import { useCliScratch } from '../support/cli-scratch';
import { httpGet } from '../support/deploy-fixtures';
import { runSlipway } from '../support/slipway-process';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'no-dockerfile');
const APPS = { node: 'nodf-node', python: 'nodf-python', site: 'nodf-site' } as const;

const scratch = useCliScratch('no-dockerfile', Object.values(APPS));

async function cli(...argv: string[]) {
  const run = await runSlipway(scratch.data(), argv);
  expect(run.code, `slipway ${argv.join(' ')}:\n${run.out}\n${run.err}`).toBe(0);
  return run.out;
}

/** A copy of a fixture app in the scratch folder, under a name of this test's. */
async function fixture(folder: string, name: string): Promise<string> {
  const dir = path.join(scratch.dir(), folder);
  await cp(path.join(FIXTURES, folder), dir, { recursive: true });
  const spec = path.join(dir, 'app.yaml');
  await writeFile(spec, (await readFile(spec, 'utf8')).replace(/^name: .*$/m, `name: ${name}`));
  return dir;
}

/** Creates the app from its folder and deploys it through the CLI; gives the live deployment. */
async function deployFolder(dir: string, name: string, ...createArgs: string[]): Promise<Deployment> {
  await cli('apps', 'create', '--spec', dir, ...createArgs);
  await cli('apps', 'deploy', name, '--wait');
  const [latest] = JSON.parse(await cli('apps', 'list-deployments', name, '-o', 'json')) as Deployment[];
  expect(latest?.phase, JSON.stringify(latest?.error)).toBe('ACTIVE');
  return latest!;
}

const urlOf = (d: Deployment, component: string) => d.endpoints.find((e) => e.component === component)!.url;

describe('apps without a Dockerfile (the built CLI, real Docker, no registry)', () => {
  it('plans a Node app from package.json, prints the generated Dockerfile, deploys it and serves its page', async () => {
    const dir = await fixture('node-app', APPS.node);
    const plan = JSON.parse(await cli('apps', 'spec', 'plan', dir, '-o', 'json')) as SpecPlanResult;
    expect(plan.errors).toEqual([]);
    expect(plan.plans[0]).toMatchObject({
      component: 'web',
      recipe: 'node',
      version: { version: '20' },
      start: 'npm start',
      baseImages: ['node:20-bookworm-slim'],
    });
    expect(plan.plans[0]!.dockerfile).toMatch(/^FROM node:20-bookworm-slim/m);
    const text = await cli('apps', 'spec', 'plan', dir);
    expect(text).toContain('node');
    expect(text).toContain('FROM node:20-bookworm-slim');

    const live = await deployFolder(dir, APPS.node);
    const page = await httpGet(urlOf(live, 'web'));
    expect(page.body).toContain('Hello from the Node fixture');
    const build = await cli('apps', 'logs', APPS.node, '--type', 'build', '--deployment', live.id);
    expect(build).toContain('Generated Dockerfile');
    expect(build).toContain('FROM node:20-bookworm-slim');
  });

  it("deploys a Python app from its Procfile's web line, under the name given at create", async () => {
    // The spec keeps the name its author gave it (forgiven to hd117); the app is the one named with --name, and
    // every deploy reads the file again under that name.
    const dir = await fixture('python-app', 'HD117');
    const live = await deployFolder(dir, APPS.python, '--name', APPS.python);
    expect((await httpGet(urlOf(live, 'web'))).body).toContain('Hello from the Python fixture');
    expect(await readFile(path.join(dir, 'app.yaml'), 'utf8')).toMatch(/^name: HD117$/m);
    const app = JSON.parse(await cli('apps', 'get', APPS.python, '-o', 'json')) as { specYaml: string };
    expect(app.specYaml).toMatch(new RegExp(`^name: ${APPS.python}$`, 'm'));
  });

  it('builds static sites and serves them: the catch-all page for any path, the error document with 404', async () => {
    const dir = await fixture('static-site', APPS.site);
    const live = await deployFolder(dir, APPS.site);
    const spa = urlOf(live, 'spa');
    expect((await httpGet(spa)).body).toContain('Static fixture home');
    const anything = await httpGet(`${spa}/anything/at/all`);
    expect(anything.status).toBe(200);
    expect(anything.body).toContain('Static fixture home');
    const missing = await httpGet(`${urlOf(live, 'docs')}/missing.html`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('page not found');
  });

  it('refuses a language Slipway cannot build yet, naming it and what to add', async () => {
    const dir = path.join(scratch.dir(), 'php-app');
    await cp(path.join(FIXTURES, 'php-app'), dir, { recursive: true });
    const run = await runSlipway(scratch.data(), ['apps', 'spec', 'validate', dir]);
    expect(run.code).toBe(1);
    expect(run.out + run.err).toMatch(/php/);
    expect(run.out + run.err).toMatch(/add a Dockerfile/);
  });
});
