import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCloneUrl } from '../../../shared/spec/git-source';
import { aesGcmBox } from './secret-box';
import {
  openUrlCredentials,
  redactCredentials,
  sealUrlCredentials,
  splitUrlCredentials,
  urlSecret,
} from './url-credentials';

describe('splitUrlCredentials', () => {
  it('takes the user-info out of a URL, decoding its user and password', () => {
    expect(splitUrlCredentials('https://ana:t%40ken@git.example.com/acme/shop.git')).toEqual({
      url: 'https://git.example.com/acme/shop.git',
      userinfo: 'ana:t%40ken',
      user: 'ana',
      password: 't@ken',
    });
    expect(splitUrlCredentials('https://ghp_token@github.com/a/b.git')).toMatchObject({
      url: 'https://github.com/a/b.git',
      user: 'ghp_token',
      password: null,
    });
  });

  it('leaves a URL without user-info, an scp-like address or a path as it is', () => {
    for (const url of ['https://github.com/a/b.git', 'git@github.com:a/b.git', '/srv/repo', 'file:///srv/repo']) {
      expect(splitUrlCredentials(url)).toEqual({ url, userinfo: null, user: null, password: null });
    }
  });

  it('does not read an @ in the path as user-info', () => {
    expect(splitUrlCredentials('https://host/a@b/repo.git').userinfo).toBeNull();
  });
});

describe('urlSecret', () => {
  it('is the password, or a user that stands alone (a token), of an http(s) URL', () => {
    expect(urlSecret('https://ana:s3cret@host/r.git')).toBe('s3cret');
    expect(urlSecret('http://ghp_token@host/r.git')).toBe('ghp_token');
    expect(urlSecret('https://ana:@host/r.git')).toBeNull();
    expect(urlSecret('https://host/r.git')).toBeNull();
  });

  it('is nothing for the user name of an ssh URL', () => {
    expect(urlSecret('ssh://git@host/r.git')).toBeNull();
    expect(urlSecret('git@host:r.git')).toBeNull();
  });
});

describe('redactCredentials', () => {
  it('hides the user-info of every URL in a text', () => {
    expect(redactCredentials('fatal: could not read https://user:ghp_secret@github.com/a/b.git')).toBe(
      'fatal: could not read https://***@github.com/a/b.git',
    );
    expect(redactCredentials('https://token@host/x and ssh://git@host/y')).toBe(
      'https://***@host/x and ssh://***@host/y',
    );
    expect(redactCredentials('git@github.com:a/b.git')).toBe('git@github.com:a/b.git');
  });
});

describe('sealUrlCredentials and openUrlCredentials', () => {
  const box = aesGcmBox(randomBytes(32));

  it('seals the whole user-info of an http(s) URL into a URL that is still a valid clone URL', () => {
    const url = 'https://ana:t%40ken-SENTINEL@git.example.com/acme/shop.git';
    const sealed = sealUrlCredentials(url, box);
    expect(sealed).not.toContain('SENTINEL');
    expect(sealed).not.toContain('ana');
    expect(sealed).toMatch(/^https:\/\/slipway-sealed%3Av1%3A[A-Za-z0-9%]+@git\.example\.com\/acme\/shop\.git$/);
    expect(checkCloneUrl(sealed)).toBeNull();
    expect(splitUrlCredentials(sealed).url).toBe('https://git.example.com/acme/shop.git');
    // Opened, it is the URL as the user wrote it, percent-encoding and all.
    expect(openUrlCredentials(sealed, box)).toBe(url);
    expect(openUrlCredentials(sealUrlCredentials('http://ghp_token@host/r.git', box), box)).toBe(
      'http://ghp_token@host/r.git',
    );
  });

  it('does not seal twice, nor a URL without a credential, nor an ssh login name', () => {
    const sealed = sealUrlCredentials('https://ana:tok@host/r.git', box);
    expect(sealUrlCredentials(sealed, box)).toBe(sealed);
    for (const url of ['https://host/r.git', 'ssh://git@host/r.git', 'git@host:r.git', '/srv/r', 'file:///r']) {
      expect(sealUrlCredentials(url, box)).toBe(url);
    }
  });

  it('opens a URL whose credential is in plain (a state an older version wrote) as it is', () => {
    for (const url of ['https://ana:tok@host/r.git', 'https://host/r.git', 'ssh://git@host/r.git']) {
      expect(openUrlCredentials(url, box)).toBe(url);
    }
  });

  it('refuses a credential sealed under another key, without showing it', () => {
    const sealed = sealUrlCredentials('https://ana:tok-OTHER-KEY@host/r.git', aesGcmBox(randomBytes(32)));
    expect(() => openUrlCredentials(sealed, box)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
  });
});
