import { describe, expect, it } from 'vitest';
import { checkCloneUrl, checkGitBranch, checkRepoSlug, hostedCloneUrl } from './git-source';

describe('checkGitBranch', () => {
  it.each(['main', 'master', 'develop', 'API', 'feature/x-1', 'release-1.2', 'v1.0.0', 'a@b'])('accepts %s', (b) => {
    expect(checkGitBranch(b)).toBeNull();
  });

  it.each([
    '',
    '--upload-pack=x',
    '-x',
    'a..b',
    'a b',
    'a\tb',
    'a\u0000b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[b',
    'a\\b',
    'x.lock',
    'a/x.lock/b',
    'a/',
    '/a',
    'a//b',
    'a.',
    '.a',
    'a/.b',
    '@',
    'a@{1}',
    'x'.repeat(256),
  ])('refuses %j', (b) => {
    expect(checkGitBranch(b)).toEqual(expect.any(String));
  });
});

describe('checkCloneUrl', () => {
  it.each([
    'https://github.com/APTRS/APTRS.git',
    'http://git.local:3000/me/app.git',
    'https://token@github.com/me/app',
    'ssh://git@github.com:22/me/app.git',
    'git@github.com:me/app.git',
    'deploy@[::1]:me/app.git',
    'file:///srv/git/app.git',
    '/srv/git/app.git',
    'C:\\repos\\app',
    'D:/repos/app',
    // Cases the engine's own check used to cover, before it called this one.
    'https://github.com/owner/repo.git',
    'http://127.0.0.1:8080/repo',
    'https://user:token@example.com/repo.git',
    'ssh://git@example.com:2222/owner/repo.git',
    'git@github.com:owner/repo.git',
    'file:///srv/git/repo.git',
    '/srv/git/repo',
    'https://user%2D1@example.com/repo.git',
    'file://localhost/srv/git/repo.git',
  ])('accepts %s', (url) => {
    expect(checkCloneUrl(url)).toBeNull();
  });

  it.each([
    '',
    '-oProxyCommand=x',
    '--upload-pack=touch /tmp/x',
    'ext::sh -c touch% /tmp/pwned',
    'ext::sh',
    'fd::17',
    'https://github.com/me/app.git; rm -rf /',
    'https://github.com/me/$(x)',
    'ftp://example.com/app.git',
    'git://example.com/app.git',
    'github.com/me/app',
    'https://',
    'https://-host/x',
    'ssh://-oProxyCommand=x@host/x',
    'git@-host:x',
    '${GITHUB_REPO_URL}',
    'relative/path',
    'https://github.com/me/app\n',
    // Cases the engine's own check used to cover, before it called this one.
    '-oProxyCommand=touch /tmp/x',
    'ext::sh -c touch% /tmp/x',
    'ssh://-oProxyCommand=x/repo',
    'ssh://-oProxyCommand=x@host/repo',
    'https://example.com/repo .git',
    'https://example.com/repo\n.git',
    './repo',
    'git@-host:repo',
    'host:',
    // The engine took an scp-like URL without a user; the spec's rule, now the only one, wants user@host:path.
    'example.com:repo.git',
  ])('refuses %j', (url) => {
    expect(checkCloneUrl(url)).toEqual(expect.any(String));
  });
});

describe('checkCloneUrl and what git or ssh would read as an option', () => {
  // git percent-decodes a scheme:// URL before it reads the user and host, so %2D is a "-" as well.
  it.each([
    'ssh://%2DoProxyCommand=x@host/repo',
    'ssh://%2doProxyCommand=x@host/repo',
    'https://%2Duser@example.com/repo.git',
    'file://-host/srv/git/repo.git',
    'file://%2Dhost/srv/git/repo.git',
    'file://-user@host/srv/git/repo.git',
    'file://user@-host/srv/git/repo.git',
  ])('refuses the user or host of %s', (url) => {
    expect(checkCloneUrl(url)).toBe('must not have a user or host starting with "-" (or "%2D")');
  });

  it.each(['/srv/x://-y', 'git@host://-y', 'C:/x://-y', 'C://-y'])(
    'reads no user or host in %s, which has no scheme',
    (url) => {
      expect(checkCloneUrl(url)).toBeNull();
    },
  );

  it('says first that a URL starting with "-" is an option', () => {
    expect(checkCloneUrl('-oProxyCommand=x')).toBe('must not start with "-"');
    expect(checkCloneUrl('--upload-pack=x')).toBe('must not start with "-"');
  });

  it.each(['ext::sh', 'fd::17', 'ext::sh -c touch% /tmp/x'])('refuses the transport helper %j', (url) => {
    expect(checkCloneUrl(url)).toEqual(expect.any(String));
  });
});

describe('checkRepoSlug', () => {
  it('accepts owner/name', () => {
    expect(checkRepoSlug('github', 'digitalocean/sample-golang')).toBeNull();
    expect(checkRepoSlug('github', 'a_b/c.d-e')).toBeNull();
    expect(checkRepoSlug('gitlab', 'group/subgroup/name')).toBeNull();
  });

  it.each(['name', 'a/b/c', 'a/', '/b', '../x', 'a/..', 'a b/c', 'a/$(x)', 'a/b;c', '-a/b', 'a/`b`'])(
    'refuses %j on GitHub',
    (repo) => {
      expect(checkRepoSlug('github', repo)).toEqual(expect.any(String));
    },
  );
});

describe('hostedCloneUrl', () => {
  it('makes an https clone URL', () => {
    expect(hostedCloneUrl('github', 'me/app')).toBe('https://github.com/me/app.git');
    expect(hostedCloneUrl('gitlab', 'g/s/app.git')).toBe('https://gitlab.com/g/s/app.git');
    expect(hostedCloneUrl('bitbucket', 'me/app')).toBe('https://bitbucket.org/me/app.git');
  });
});
