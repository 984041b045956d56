import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { aesGcmBox } from '../secrets/secret-box';
import { sealUrlCredentials } from '../secrets/url-credentials';
import { startGitHttpServer, type GitHttpServer } from '../source/git-http-server.test-support';
import { checkoutSources } from './checkout-sources';

const TOKEN = 'tok-SENTINEL-93ab7e';
const box = aesGcmBox(randomBytes(32));

let base: string;
let server: GitHttpServer;

/** A spec whose services (web, and any others named) each build from `url` (or their own URL for it). */
function specFor(name: string, url: string | (() => string), services = ['web']) {
  const spec = loadAppSpec(
    [
      `name: ${name}`,
      'services:',
      ...services.flatMap((service) => [
        `  - name: ${service}`,
        '    git:',
        `      repo_clone_url: ${typeof url === 'string' ? url : url()}`,
        '      branch: main',
      ]),
      '',
    ].join('\n'),
  ).spec;
  if (!spec) throw new Error('the test spec does not load');
  return spec;
}

async function checkout(
  name: string,
  url: string | (() => string),
  dataDir: string,
  logs: string[] = [],
  services?: string[],
) {
  return checkoutSources({
    spec: specFor(name, url, services),
    app: name,
    localRoot: null,
    dataDir,
    revision: null,
    secrets: box,
    log: (line) => logs.push(line),
    signal: new AbortController().signal,
  });
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'slipway-checkout-'));
  const work = join(base, 'work');
  await mkdir(work);
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@slipway.invalid', ...args], { cwd });
  git(work, 'init', '-q', '-b', 'main');
  await writeFile(join(work, 'Dockerfile'), 'FROM busybox:stable\n');
  await mkdir(join(work, 'site'));
  await writeFile(join(work, 'site', 'index.html'), 'hello\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'one');
  git(base, 'clone', '-q', '--bare', work, join(base, 'served', 'repo.git'));
  server = await startGitHttpServer(join(base, 'served'), 'ana', TOKEN);
});

afterAll(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

describe('checkoutSources', () => {
  it('keeps the source cache its user’s alone: every folder down to the checkout is 0700', async () => {
    const dataDir = join(base, 'data-modes');
    // An older version made the cache root 0755: it is tightened, not trusted.
    await mkdir(join(dataDir, 'cache', 'git'), { recursive: true, mode: 0o755 });
    const out = await checkout('shop', join(base, 'served', 'repo.git'), dataDir);
    const root = out.get('web')!.root;
    for (const dir of [join(dataDir, 'cache'), join(dataDir, 'cache', 'git'), join(dataDir, 'cache', 'git', 'shop')]) {
      expect({ dir, mode: await modeOf(dir) }).toEqual({ dir, mode: 0o700 });
    }
    expect(await modeOf(root)).toBe(0o700);
    // Below the checkout, modes stay as git made them: the build context carries them into the image.
    expect(await modeOf(join(root, 'site', 'index.html'))).toBe(0o644);
  });

  it('names the repository without its credential in the log', async () => {
    const logs: string[] = [];
    const url = `${server.baseUrl.replace('http://', `http://ana:${TOKEN}@`)}repo.git`;
    const out = await checkout('shop', url, join(base, 'data-log'), logs);
    expect(out.get('web')!.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(logs[0]).toBe(`Fetching http://***@${server.baseUrl.slice('http://'.length)}repo.git (main)`);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('opens a sealed credential for git alone, and fetches a repository once for components sealed apart', async () => {
    const logs: string[] = [];
    const plain = `${server.baseUrl.replace('http://', `http://ana:${TOKEN}@`)}repo.git`;
    // Each component's URL is sealed on its own, so the two stored URLs differ.
    const sealed = () => sealUrlCredentials(plain, box);
    const before = server.authorizations.length;
    const out = await checkout('sealed', sealed, join(base, 'data-sealed'), logs, ['web', 'api']);
    expect(out.get('web')!.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(out.get('api')).toEqual(out.get('web'));
    expect(server.authorizations.slice(before)).toContain(`Basic ${Buffer.from(`ana:${TOKEN}`).toString('base64')}`);
    expect(logs.filter((line) => line.startsWith('Fetching'))).toEqual([
      `Fetching http://***@${server.baseUrl.slice('http://'.length)}repo.git (main)`,
    ]);
    expect(logs.join('\n')).not.toMatch(new RegExp(`${TOKEN}|slipway-sealed`));
  });
});
