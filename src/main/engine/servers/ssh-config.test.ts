import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  matchWildcard,
  parseSshConfig,
  readSshConfigHosts,
  resolveSshAlias,
  type ConfigFiles,
  type ResolveEnv,
} from './ssh-config';

const HOME = path.join(path.sep, 'home', 'ada');
const SSH_DIR = path.join(HOME, '.ssh');
const env: ResolveEnv = { homeDir: HOME, localUser: 'ada' };

/** An in-memory ~/.ssh: file path → text. */
function memoryFiles(files: Record<string, string>): ConfigFiles & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: (file) => {
      reads.push(file);
      return files[file];
    },
    list: (dir) =>
      Object.keys(files)
        .filter((file) => path.dirname(file) === dir)
        .map((file) => path.basename(file)),
  };
}

const noFiles = memoryFiles({});
const parse = (text: string, files: ConfigFiles = noFiles) => parseSshConfig(text, { homeDir: HOME, files });
const resolve = (text: string, alias: string, files: ConfigFiles = noFiles) =>
  resolveSshAlias(parse(text, files), alias, env);

describe('matchWildcard', () => {
  it('handles * and ? like OpenSSH patterns', () => {
    expect(matchWildcard('web1.example.com', '*.example.com')).toBe(true);
    expect(matchWildcard('example.com', '*.example.com')).toBe(false);
    expect(matchWildcard('web1', 'web?')).toBe(true);
    expect(matchWildcard('web12', 'web?')).toBe(false);
    expect(matchWildcard('a-b-c', '*-*-*')).toBe(true);
    expect(matchWildcard('anything', '*')).toBe(true);
    expect(matchWildcard('', '*')).toBe(true);
    expect(matchWildcard('Prod', 'prod')).toBe(false);
  });
});

describe('parseSshConfig', () => {
  it('reads several Host blocks, with several patterns per line', () => {
    const hosts = parse(
      [
        'Host prod prod-alias',
        '  HostName 203.0.113.10',
        '  User deploy',
        '  Port 2222',
        '',
        'Host staging',
        '  HostName staging.example.com',
      ].join('\n'),
    );
    expect(hosts.map((h) => h.aliases)).toEqual([['prod', 'prod-alias'], ['staging']]);
    expect(resolveSshAlias(hosts, 'prod-alias', env)).toEqual({
      alias: 'prod-alias',
      hostName: '203.0.113.10',
      user: 'deploy',
      port: 2222,
      identityFiles: [],
      proxyJump: [],
    });
    expect(resolveSshAlias(hosts, 'staging', env)).toEqual({
      alias: 'staging',
      hostName: 'staging.example.com',
      port: 22,
      identityFiles: [],
      proxyJump: [],
    });
  });

  it('offers no alias for wildcard or negated patterns, and resolves nothing it does not name', () => {
    const hosts = parse(['Host * !bastion *.internal web?', '  User ops', 'Host bastion', '  User jump'].join('\n'));
    expect(hosts.flatMap((h) => h.aliases)).toEqual(['bastion']);
    expect(resolveSshAlias(hosts, 'web1', env)).toBeNull();
    expect(resolveSshAlias(hosts, 'unknown', env)).toBeNull();
  });

  it('lets the first obtained value win, in file order, wildcard blocks included', () => {
    const text = [
      'Host *.example.com',
      '  User early',
      'Host app.example.com',
      '  User late',
      '  HostName 198.51.100.7',
      '  HostName ignored.example.com',
      '  Port 2200',
      'Host *',
      '  User fallback',
      '  Port 2201',
      '  IdentityFile ~/.ssh/id_default',
    ].join('\n');
    expect(resolve(text, 'app.example.com')).toEqual({
      alias: 'app.example.com',
      hostName: '198.51.100.7',
      user: 'early',
      port: 2200,
      identityFiles: [path.join(SSH_DIR, 'id_default')],
      proxyJump: [],
    });
  });

  it('applies lines before the first Host to every host, and honours negation', () => {
    const text = ['User everyone', 'Host * !db', '  Port 2022', 'Host db web', '  HostName %h.internal'].join('\n');
    expect(resolve(text, 'web')).toMatchObject({ hostName: 'web.internal', user: 'everyone', port: 2022 });
    expect(resolve(text, 'db')).toMatchObject({ hostName: 'db.internal', user: 'everyone', port: 22 });
  });

  it('accepts Key=value and Key = value, with keywords in any case', () => {
    const text = ['HOST=box', 'hostname=box.example.com', 'USER = root', 'port=2300', 'identityFILE=~/.ssh/box'].join(
      '\n',
    );
    expect(resolve(text, 'box')).toEqual({
      alias: 'box',
      hostName: 'box.example.com',
      user: 'root',
      port: 2300,
      identityFiles: [path.join(SSH_DIR, 'box')],
      proxyJump: [],
    });
  });

  it('unquotes values and drops trailing comments', () => {
    const text = [
      'Host "quoted alias" plain # a comment',
      '  IdentityFile "~/My Keys/id ed25519"',
      "  User 'o\\'brien'",
      '  HostName quoted.example.com # the box under the desk',
    ].join('\n');
    const hosts = parse(text);
    expect(hosts[0]?.aliases).toEqual(['quoted alias', 'plain']);
    expect(resolveSshAlias(hosts, 'quoted alias', env)).toMatchObject({
      hostName: 'quoted.example.com',
      user: "o'brien",
      identityFiles: [path.join(HOME, 'My Keys', 'id ed25519')],
    });
  });

  it('keeps every IdentityFile, expanding ~ and the obvious % tokens', () => {
    const text = [
      'Host git',
      '  HostName git.example.com',
      '  User git',
      '  Port 2222',
      '  IdentityFile ~/.ssh/id_%h_%r',
      '  IdentityFile %d/keys/%u@%n:%p',
      '  IdentityFile /etc/keys/%C-100%%',
      '  IdentityFile ~/.ssh/id_git_git.example.com_git',
      'Host *',
      '  IdentityFile ~',
    ].join('\n');
    expect(resolve(text, 'git')?.identityFiles).toEqual([
      path.join(SSH_DIR, 'id_git.example.com_git'),
      path.join(HOME, 'keys', 'ada@git:2222'),
      '/etc/keys/%C-100%',
      path.join(SSH_DIR, 'id_git_git.example.com_git'),
      HOME,
    ]);
    // %r falls back to the local user, as in OpenSSH.
    expect(resolve('Host x\n  IdentityFile ~/.ssh/%r', 'x')?.identityFiles).toEqual([path.join(SSH_DIR, 'ada')]);
  });

  it('keeps ProxyJump chains as lists, and lets `none` stop later ones', () => {
    const text = [
      'Host inner',
      '  ProxyJump ops@bastion:2222,jump2',
      'Host direct',
      '  ProxyJump none',
      'Host uri',
      '  ProxyJump ssh://me@gate.example.com:2200',
      'Host cmd',
      '  ProxyCommand nc -X connect -x proxy:3128 %h %p',
      '  ProxyJump ignored',
      'Host *',
      '  ProxyJump default-bastion',
    ].join('\n');
    expect(resolve(text, 'inner')?.proxyJump).toEqual(['ops@bastion:2222', 'jump2']);
    expect(resolve(text, 'direct')?.proxyJump).toEqual([]);
    expect(resolve(text, 'uri')?.proxyJump).toEqual(['ssh://me@gate.example.com:2200']);
    expect(resolve(text, 'cmd')).toMatchObject({
      proxyJump: [],
      proxyCommand: 'nc -X connect -x proxy:3128 %h %p',
    });
    expect(resolve('Host a\n  ProxyCommand none\nHost *\n  ProxyJump b', 'a')).not.toHaveProperty('proxyCommand');
    expect(resolve('Host a\n  ProxyCommand none\nHost *\n  ProxyJump b', 'a')?.proxyJump).toEqual([]);
    expect(resolve('Host a\nHost *\n  ProxyJump b', 'a')?.proxyJump).toEqual(['b']);
  });

  it('skips Match blocks with everything in them', () => {
    const text = [
      'Host a',
      '  User first',
      'Match host a exec "true"',
      '  User from-match',
      '  HostName from-match.example.com',
      '  Include never',
      'Host a',
      '  HostName a.example.com',
    ].join('\n');
    const files = memoryFiles({ [path.join(SSH_DIR, 'never')]: 'Host nope' });
    expect(resolve(text, 'a', files)).toMatchObject({ user: 'first', hostName: 'a.example.com' });
    expect(files.reads).toEqual([]);
  });

  it('ignores junk lines and bad values', () => {
    const text = [
      'this is not a keyword line at all ===',
      'Host ok',
      '  Port not-a-number',
      '  Port 99999',
      '  User',
      '  HostName "unterminated',
      '  NoSuchKeyword whatever',
      '  =value',
      '  Port 2022',
      '  HostName ok.example.com',
      'Host',
      '  User orphan',
    ].join('\n');
    expect(resolve(text, 'ok')).toEqual({
      alias: 'ok',
      hostName: 'ok.example.com',
      port: 2022,
      identityFiles: [],
      proxyJump: [],
    });
    expect(parse('')).toEqual([]);
  });
});

describe('Include', () => {
  it('reads relative paths from ~/.ssh and globs * in the last segment, in name order', () => {
    const files = memoryFiles({
      [path.join(SSH_DIR, 'config.d', '20-web')]: 'Host web\n  HostName web.example.com\n  User web-user',
      [path.join(SSH_DIR, 'config.d', '10-db')]: 'Host db\n  HostName db.example.com\nHost *\n  User from-include',
      [path.join(SSH_DIR, 'config.d', '.hidden')]: 'Host hidden',
      [path.join(HOME, 'extra.conf')]: 'Host extra\n  Port 2200',
    });
    const hosts = parse(
      ['Include config.d/* ~/extra.conf missing.conf', 'Host web', '  User main-user'].join('\n'),
      files,
    );
    expect(hosts.flatMap((h) => h.aliases)).toEqual(['db', 'web', 'extra', 'web']);
    // 10-db is read before 20-web, so its `Host *` User comes first in file order and wins for everyone.
    expect(resolveSshAlias(hosts, 'web', env)).toMatchObject({ hostName: 'web.example.com', user: 'from-include' });
    expect(resolveSshAlias(hosts, 'db', env)).toMatchObject({ hostName: 'db.example.com', user: 'from-include' });
    expect(resolveSshAlias(hosts, 'extra', env)).toMatchObject({ port: 2200, user: 'from-include' });
    expect(resolveSshAlias(hosts, 'hidden', env)).toBeNull();
  });

  it('applies an Include inside a Host block only to that host, and the block carries on after it', () => {
    const files = memoryFiles({
      [path.join(SSH_DIR, 'common')]: 'User shared\nHost other\n  Port 2300',
    });
    const text = ['Host a', '  Include common', '  Port 2022', 'Host b', '  HostName b.example.com'].join('\n');
    const hosts = parse(text, files);
    expect(resolveSshAlias(hosts, 'a', env)).toMatchObject({ user: 'shared', port: 2022 });
    expect(resolveSshAlias(hosts, 'b', env)).toEqual({
      alias: 'b',
      hostName: 'b.example.com',
      port: 22,
      identityFiles: [],
      proxyJump: [],
    });
    // `other` lives inside `Host a`, so it never applies to anything but `a`, which it does not match.
    expect(resolveSshAlias(hosts, 'other', env)).toMatchObject({ port: 22 });
  });

  it('stops at depth 4, which also ends include loops', () => {
    const files = memoryFiles({
      [path.join(SSH_DIR, 'loop')]: 'Include loop\nIdentityFile ~/.ssh/k',
    });
    const hosts = parse('Host a\nInclude loop', files);
    expect(files.reads).toHaveLength(4);
    expect(resolveSshAlias(hosts, 'a', env)?.identityFiles).toEqual([path.join(SSH_DIR, 'k')]);
  });

  it('ignores wildcards outside the last segment and ~otheruser paths', () => {
    const files = memoryFiles({ [path.join(SSH_DIR, 'd', 'x')]: 'Host x' });
    expect(parse('Include */x ~bob/config', files)).toEqual([]);
    expect(files.reads).toEqual([]);
  });
});

describe('readSshConfigHosts', () => {
  it('reads a real file and gives [] when it is missing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slipway-ssh-config-'));
    try {
      const file = path.join(dir, 'config');
      await writeFile(file, 'Host real\n  HostName real.example.com\n');
      const hosts = await readSshConfigHosts(file, { homeDir: HOME, files: noFiles });
      expect(resolveSshAlias(hosts, 'real', env)?.hostName).toBe('real.example.com');
      await expect(readSshConfigHosts(path.join(dir, 'missing'))).resolves.toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
