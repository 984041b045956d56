import * as childProcess from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gitRemote } from './git-credentials';
import { fetchGitSource } from './git-source';
import { startGitHttpServer, type GitHttpServer } from './git-http-server.test-support';

// Every process git-source starts, with its argv and environment, as `ps` and /proc would show them.
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  return { ...actual, spawn: vi.fn(actual.spawn) };
});
const spawned = () =>
  vi.mocked(childProcess.spawn).mock.calls.map((call) => ({
    argv: [call[0], ...(call[1] as string[])],
    env: (call[2] as { env?: NodeJS.ProcessEnv } | undefined)?.env ?? {},
  }));

const TOKEN = 'tok-SENTINEL-5d1f0c';

let base: string;
let server: GitHttpServer;
let commit: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'slipway-git-credentials-'));
  const work = join(base, 'work');
  await mkdir(work);
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@slipway.invalid', ...args], {
      cwd,
      encoding: 'utf8',
    }).trim();
  git(work, 'init', '-q', '-b', 'main');
  await writeFile(join(work, 'a.txt'), 'one\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'one');
  commit = git(work, 'rev-parse', 'HEAD');
  git(base, 'clone', '-q', '--bare', work, join(base, 'served', 'repo.git'));
  server = await startGitHttpServer(join(base, 'served'), 'ana', TOKEN);
});

afterAll(async () => {
  await server.close();
  await rm(base, { recursive: true, force: true });
});

describe('a credential in an http(s) clone URL', () => {
  it('reaches the server but never git’s argv, its config in the cache, or the log', async () => {
    const cacheDir = join(base, 'cache-1');
    const logs: string[] = [];
    const url = `${server.baseUrl.replace('http://', `http://ana:${TOKEN}@`)}repo.git`;
    vi.mocked(childProcess.spawn).mockClear();
    const first = await fetchGitSource({ url, branch: 'main', cacheDir, onLog: (l) => logs.push(l) });
    // The second fetch reuses the cache: git fetch needs the credential too.
    const again = await fetchGitSource({ url, branch: 'main', cacheDir, onLog: (l) => logs.push(l) });
    expect([first.commit, again.commit]).toEqual([commit, commit]);
    expect(server.authorizations).toContain(`Basic ${Buffer.from(`ana:${TOKEN}`).toString('base64')}`);

    const gits = spawned().filter((p) => p.argv[0] === 'git' && !p.argv.includes('http-backend'));
    expect(gits.length).toBeGreaterThan(2);
    expect(gits.flatMap((p) => p.argv).join(' ')).not.toContain(TOKEN);
    expect(gits.find((p) => p.argv.includes('clone'))!.argv).toContain(`${server.baseUrl}repo.git`);
    expect(await readFile(join(cacheDir, '.git', 'config'), 'utf8')).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toContain(TOKEN);
  });

  it('takes the credential out of a cache an older version made with it in its config', async () => {
    const cacheDir = join(base, 'cache-2');
    const url = `${server.baseUrl.replace('http://', `http://ana:${TOKEN}@`)}repo.git`;
    await fetchGitSource({ url, branch: 'main', cacheDir });
    execFileSync('git', ['config', 'remote.origin.url', url], { cwd: cacheDir });
    expect((await fetchGitSource({ url, branch: 'main', cacheDir })).commit).toBe(commit);
    expect(await readFile(join(cacheDir, '.git', 'config'), 'utf8')).not.toContain(TOKEN);
  });

  it('is refused by the server when wrong, and the failure names no credential', async () => {
    const url = `${server.baseUrl.replace('http://', 'http://ana:wrong-token-value@')}repo.git`;
    const logs: string[] = [];
    const err = (await fetchGitSource({
      url,
      branch: 'main',
      cacheDir: join(base, 'cache-3'),
      onLog: (l) => logs.push(l),
    }).catch((e: unknown) => e)) as Error & { code?: string; details?: unknown };
    expect(err.code).toBe('GIT_FAILED');
    expect([err.message, JSON.stringify(err.details), ...logs].join('\n')).not.toContain('wrong-token-value');
  });
});

describe('gitRemote', () => {
  it('moves an http(s) credential into a header for that URL alone, in the environment', () => {
    const remote = gitRemote('https://ana:p%40ss@git.example.com/acme/shop.git');
    expect(remote).toEqual({
      url: 'https://git.example.com/acme/shop.git',
      env: {
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.https://git.example.com/acme/shop.git.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('ana:p@ss').toString('base64')}`,
      },
    });
    expect(gitRemote('https://ghp_token@github.com/a/b.git').env.GIT_CONFIG_VALUE_0).toBe(
      `Authorization: Basic ${Buffer.from('ghp_token:').toString('base64')}`,
    );
  });

  it('refuses a credential still sealed: git would send the sealed text and fail to sign in', () => {
    expect(() => gitRemote('https://slipway-sealed%3Av1%3AAAAA%2Fbb%3D@git.example.com/a.git')).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
  });

  it('gives git any other URL as it is, with nothing added', () => {
    for (const url of ['https://github.com/a/b.git', 'ssh://git@host/a.git', 'git@host:a.git', '/srv/a', 'file:///a']) {
      expect(gitRemote(url)).toEqual({ url, env: {} });
    }
  });
});
