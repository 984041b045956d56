import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import {
  cutSubject,
  fetchGitSource,
  validateGitBranch,
  validateGitCommit,
  validateGitUrl,
  type GitSourceOptions,
} from './git-source';

const execFileAsync = promisify(execFile);

/** Runs git by argv in the fixture repository, with an identity that does not depend on the machine's config. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const identity = [
    '-c',
    'user.name=Slipway Test',
    '-c',
    'user.email=test@slipway.invalid',
    '-c',
    'commit.gpgsign=false',
  ];
  const { stdout } = await execFileAsync('git', [...identity, ...args], { cwd });
  return stdout.trim();
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

let base: string;
let repo: string;
let v1: string;
let v2: string;
let cacheCount = 0;

function freshCache(): string {
  return join(base, 'caches', `cache-${++cacheCount}`);
}

async function fetchInto(cacheDir: string, options: Partial<GitSourceOptions> = {}, logs: string[] = []) {
  return fetchGitSource({
    url: `file://${repo}`,
    branch: 'main',
    cacheDir,
    onLog: (line) => logs.push(line),
    ...options,
  });
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'slipway-git-'));
  repo = join(base, 'repo');
  await mkdir(repo);
  await git(repo, '-c', 'init.defaultBranch=main', 'init', '-q');
  await writeFile(join(repo, 'a.txt'), 'version 1\n');
  await writeFile(join(repo, '.gitignore'), 'ignored.log\n');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'v1');
  v1 = await git(repo, 'rev-parse', 'HEAD');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('fetchGitSource', () => {
  const shared = () => join(base, 'caches', 'shared');

  it('clones over file:// and reports the full commit, its subject and git’s progress', async () => {
    const logs: string[] = [];
    const result = await fetchInto(shared(), {}, logs);
    expect(result).toEqual({ dir: shared(), commit: v1, subject: 'v1' });
    expect(await readFile(join(shared(), 'a.txt'), 'utf8')).toBe('version 1\n');
    expect(logs.some((line) => line.startsWith('$ git clone '))).toBe(true);
    expect(logs.some((line) => line.includes('Cloning into'))).toBe(true);
    expect(logs.every((line) => line === line.trimEnd() && !/[\r\n]/.test(line))).toBe(true);
  });

  it('keeps a checkout’s folder its user’s alone, tightening one an older version left open', async () => {
    const cacheDir = freshCache();
    await mkdir(cacheDir, { recursive: true, mode: 0o755 });
    await fetchInto(cacheDir);
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    await chmod(cacheDir, 0o755);
    await fetchInto(cacheDir);
    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
  });

  it('clones from a plain absolute path, with or without a branch', async () => {
    expect((await fetchInto(freshCache(), { url: repo })).commit).toBe(v1);
    expect((await fetchInto(freshCache(), { url: repo, branch: undefined })).commit).toBe(v1);
  });

  it('refetches into the cache, leaving nothing of the previous checkout behind', async () => {
    await writeFile(join(repo, 'b.txt'), 'version 2\n');
    await git(repo, 'rm', '-q', 'a.txt');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'v2');
    v2 = await git(repo, 'rev-parse', 'HEAD');

    await writeFile(join(shared(), 'untracked.txt'), 'left over');
    await writeFile(join(shared(), 'ignored.log'), 'left over');
    await writeFile(join(shared(), '.gitignore'), 'modified');
    const result = await fetchInto(shared());
    expect(result.commit).toBe(v2);
    expect(result.subject).toBe('v2');
    expect(existsSync(join(shared(), 'a.txt'))).toBe(false);
    expect(existsSync(join(shared(), 'untracked.txt'))).toBe(false);
    expect(existsSync(join(shared(), 'ignored.log'))).toBe(false);
    expect(await readFile(join(shared(), '.gitignore'), 'utf8')).toBe('ignored.log\n');
    expect(await readFile(join(shared(), 'b.txt'), 'utf8')).toBe('version 2\n');
  });

  it('checks out an older commit that the cache already holds', async () => {
    const result = await fetchInto(shared(), { commit: v1 });
    expect(result.commit).toBe(v1);
    expect(existsSync(join(shared(), 'a.txt'))).toBe(true);
    expect(existsSync(join(shared(), 'b.txt'))).toBe(false);
  });

  it('fetches an older commit by its full name into a fresh shallow cache', async () => {
    const logs: string[] = [];
    const result = await fetchInto(freshCache(), { commit: v1 }, logs);
    expect(result.commit).toBe(v1);
    expect(logs.some((line) => line.includes(`origin -- ${v1}`))).toBe(true);
  });

  it('finds an abbreviated commit by deepening the branch', async () => {
    const cacheDir = freshCache();
    const logs: string[] = [];
    const result = await fetchInto(cacheDir, { commit: v1.slice(0, 10).toUpperCase() }, logs);
    expect(result.commit).toBe(v1);
    expect(await readFile(join(cacheDir, 'a.txt'), 'utf8')).toBe('version 1\n');
    expect(logs.some((line) => line.includes('--unshallow'))).toBe(true);
  });

  it('names a commit that the repository does not have', async () => {
    const err = await rejection(fetchInto(freshCache(), { commit: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef' }));
    expect(err).toBeInstanceOf(SlipwayError);
    expect((err as SlipwayError).code).toBe('SOURCE_NOT_FOUND');
    expect(err.message).toContain('deadbeefdeadbeefdeadbeefdeadbeefdeadbeef');
  });

  it('reports a failing git command with its exit code and stderr', async () => {
    const err = await rejection(fetchInto(freshCache(), { branch: 'no-such-branch' }));
    expect(err).toBeInstanceOf(SlipwayError);
    const slipway = err as SlipwayError;
    expect(slipway.code).toBe('GIT_FAILED');
    expect(slipway.message).toMatch(/^git clone exited with code 128: .*no-such-branch/);
    expect(slipway.details).toMatchObject({ command: 'clone', exitCode: 128 });
  });

  it('follows the app to another repository in the same cache', async () => {
    const other = join(base, 'other');
    await mkdir(other);
    await git(other, '-c', 'init.defaultBranch=trunk', 'init', '-q');
    await writeFile(join(other, 'other.txt'), 'other\n');
    await git(other, 'add', '-A');
    await git(other, 'commit', '-q', '-m', 'other');
    const result = await fetchInto(shared(), { url: other, branch: 'trunk' });
    expect(result.commit).toBe(await git(other, 'rev-parse', 'HEAD'));
    expect(existsSync(join(shared(), 'other.txt'))).toBe(true);
    expect(existsSync(join(shared(), 'a.txt'))).toBe(false);
    expect(await git(shared(), 'config', '--get', 'remote.origin.url')).toBe(other);
  });

  it('refuses a cache folder that holds files but no checkout', async () => {
    const cacheDir = freshCache();
    await mkdir(cacheDir, { recursive: true });
    await writeFile(join(cacheDir, 'precious.txt'), 'mine');
    const err = await rejection(fetchInto(cacheDir));
    expect((err as SlipwayError).code).toBe('GIT_FAILED');
    expect(await readFile(join(cacheDir, 'precious.txt'), 'utf8')).toBe('mine');
  });

  it('says so when git cannot be found', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(base, 'no-bin-here');
    try {
      const err = await rejection(fetchInto(freshCache()));
      expect((err as SlipwayError).code).toBe('GIT_FAILED');
      expect(err.message).toBe('git is not installed or not on the PATH');
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses option-looking branches and URLs before running anything', async () => {
    const marker = join(base, 'pwned');
    const cacheDir = freshCache();
    const viaBranch = await rejection(fetchInto(cacheDir, { branch: `--upload-pack=touch ${marker}` }));
    expect((viaBranch as SlipwayError).code).toBe('INVALID_REQUEST');
    expect(viaBranch.message).toMatch(/^branch /);
    const viaUrl = await rejection(fetchInto(cacheDir, { url: `-oProxyCommand=touch ${marker}` }));
    expect((viaUrl as SlipwayError).code).toBe('INVALID_REQUEST');
    expect(viaUrl.message).toMatch(/^url /);
    const viaCommit = await rejection(fetchInto(cacheDir, { commit: '--all' }));
    expect(viaCommit.message).toMatch(/^commit /);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(cacheDir)).toBe(false);
  });
});

describe('fetchGitSource cancellation', () => {
  let server: Server;
  let port: number;
  const sockets = new Set<Socket>();
  const connected: Array<(socket: Socket) => void> = [];

  beforeAll(async () => {
    // An HTTP "remote" that accepts connections and never answers, so git hangs until it is killed.
    server = createServer((socket) => {
      sockets.add(socket);
      // Reading the request is what lets the server see the connection end when git dies.
      socket.resume();
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      connected.shift()?.(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('kills the running git and rejects with an AbortError', async () => {
    const controller = new AbortController();
    const socketSeen = new Promise<Socket>((resolve) => connected.push(resolve));
    const cacheDir = freshCache();
    const fetching = fetchGitSource({
      url: `http://user:s3cret@127.0.0.1:${port}/repo.git`,
      branch: 'main',
      cacheDir,
      signal: controller.signal,
    });
    const socket = await socketSeen;
    const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    controller.abort();
    const err = await rejection(fetching);
    expect(err.name).toBe('AbortError');
    // The connection drops because git and its http helper are gone.
    await socketClosed;
    // Whatever the killed clone left, the next fetch into the same cache works.
    expect((await fetchInto(cacheDir)).commit).toBe(v2);
  }, 30_000);

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const cacheDir = freshCache();
    const err = await rejection(fetchInto(cacheDir, { signal: controller.signal }));
    expect(err.name).toBe('AbortError');
    expect(existsSync(cacheDir)).toBe(false);
  });
});

describe('credentials in URLs', () => {
  it('never reach the log or an error message', async () => {
    // A remote that closes every connection at once: git fails quickly, mentioning the URL.
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const logs: string[] = [];
      const err = await rejection(
        fetchGitSource({
          url: `http://user:s3cret@127.0.0.1:${port}/repo.git`,
          branch: 'main',
          cacheDir: freshCache(),
          onLog: (line) => logs.push(line),
        }),
      );
      expect((err as SlipwayError).code).toBe('GIT_FAILED');
      // The log shows git's command as it ran: the credential went to its environment, not its argv.
      expect(logs.some((line) => line.includes(`-- http://127.0.0.1:${port}/repo.git`))).toBe(true);
      const everything = [...logs, err.message, JSON.stringify((err as SlipwayError).details)].join('\n');
      expect(everything).not.toContain('s3cret');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 30_000);
});

describe('input validation', () => {
  it.each([
    'https://github.com/owner/repo.git',
    'http://127.0.0.1:8080/repo',
    'https://user:token@example.com/repo.git',
    'ssh://git@example.com:2222/owner/repo.git',
    'git@github.com:owner/repo.git',
    'file:///srv/git/repo.git',
    '/srv/git/repo',
  ])('accepts the URL %s', (url) => {
    expect(() => validateGitUrl(url)).not.toThrow();
  });

  it.each([
    '',
    '-oProxyCommand=touch /tmp/x',
    '--upload-pack=touch /tmp/x',
    'ext::sh -c touch% /tmp/x',
    'ext::sh',
    'fd::17',
    'ftp://example.com/repo.git',
    'ssh://-oProxyCommand=x/repo',
    'ssh://-oProxyCommand=x@host/repo',
    'https://example.com/repo .git',
    'https://example.com/repo\n.git',
    'relative/path',
    './repo',
    'git@-host:repo',
    'host:',
    // One rule with the spec's: an scp-style URL names its user.
    'example.com:repo.git',
  ])('refuses the URL %j', (url) => {
    expect(() => validateGitUrl(url)).toThrow(/^url /);
  });

  it.each(['main', 'feature/login', 'release-1.2', 'v1.0.0', 'users/ana/fix_#12'])(
    'accepts the branch %s',
    (branch) => {
      expect(() => validateGitBranch(branch)).not.toThrow();
    },
  );

  it.each([
    '-main',
    '--upload-pack=x',
    'a..b',
    'a@{1}',
    '@',
    'has space',
    'tab\there',
    'bell\x07',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[b',
    'a\\b',
    'ends/',
    'ends.',
    'ends.lock',
    '/leading',
    'a//b',
    '.hidden',
    'a/.hidden',
    'a.lock/b',
  ])('refuses the branch %j', (branch) => {
    expect(() => validateGitBranch(branch)).toThrow(/^branch /);
  });

  it('accepts abbreviated and full commits and refuses anything else', () => {
    expect(() => validateGitCommit('abc1234')).not.toThrow();
    expect(() => validateGitCommit('a'.repeat(40))).not.toThrow();
    for (const bad of ['abc123', 'HEAD', '--all', 'g'.repeat(40), 'a'.repeat(65), 'abc1234 ', 'ABC1234']) {
      expect(() => validateGitCommit(bad)).toThrow(/^commit /);
    }
  });
});

describe('cutSubject', () => {
  it('keeps a subject of up to 200 characters, and cuts a longer one by characters', () => {
    expect(cutSubject('Fix login')).toBe('Fix login');
    expect(cutSubject('🚀'.repeat(200))).toBe('🚀'.repeat(200));
    const cut = cutSubject('é'.repeat(250));
    expect([...cut]).toHaveLength(200);
    expect(cut.endsWith('…')).toBe(true);
  });
});
