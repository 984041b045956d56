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
  ])('refuses %j', (url) => {
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
