import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { sha256Fingerprint } from '../hosts/host-key';
import { lookupHostKey, parseKnownHosts, readKnownHosts } from './known-hosts';

interface TestKey {
  /** `type base64` as a known_hosts line wants it. */
  line: string;
  blob: Buffer;
  /** What `ssh-keygen -l` prints, to check the fingerprints against OpenSSH itself. */
  fingerprint: string;
}

let dir: string;
const keys: Record<'a' | 'b' | 'c' | 'ecdsa', TestKey> = {} as never;

function generate(name: string, type: string): TestKey {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', file]);
  const [keyType = '', base64 = ''] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
  const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' });
  return {
    line: `${keyType} ${base64}`,
    blob: Buffer.from(base64, 'base64'),
    fingerprint: printed.split(/\s+/)[1] ?? '',
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-known-hosts-'));
  keys.a = generate('a', 'ed25519');
  keys.b = generate('b', 'ed25519');
  keys.c = generate('c', 'ed25519');
  keys.ecdsa = generate('ecdsa', 'ecdsa');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = () =>
  [
    '# my servers',
    '',
    `plain.example.com,10.0.0.5 ${keys.a.line} a@laptop`,
    `[alt.example.com]:2222 ${keys.b.line}`,
    `*.wild.example.com,!secret.wild.example.com,web?.example.org ${keys.a.line}`,
    `@revoked revoked.example.com ${keys.b.line}`,
    `revoked.example.com ${keys.b.line}`,
    `@cert-authority *.example.com ${keys.c.line}`,
    `changed.example.com ${keys.a.line}`,
    `changed.example.com ${keys.b.line}`,
    `changed.example.com ${keys.ecdsa.line}`,
    `typed.example.com ${keys.ecdsa.line}`,
  ].join('\n');

describe('parseKnownHosts', () => {
  it('keeps usable lines with their names, key type, comment and line number', () => {
    const entries = parseKnownHosts(text());
    expect(entries).toHaveLength(9);
    expect(entries[0]).toMatchObject({
      names: { kind: 'patterns', patterns: ['plain.example.com', '10.0.0.5'] },
      revoked: false,
      keyType: 'ssh-ed25519',
      comment: 'a@laptop',
      line: 3,
    });
    expect(entries[0]?.key.equals(keys.a.blob)).toBe(true);
    expect(entries.find((e) => e.revoked)?.line).toBe(6);
  });

  it('ignores @cert-authority lines', () => {
    const entries = parseKnownHosts(text());
    expect(entries.some((e) => e.key.equals(keys.c.blob))).toBe(false);
    expect(lookupHostKey(entries, 'any.example.com', 22, keys.c.blob)).toEqual({ status: 'unknown' });
  });

  it('skips malformed lines without throwing', () => {
    const [, base64a = ''] = keys.a.line.split(' ');
    const junk = [
      'lonely.example.com',
      'nokey.example.com ssh-ed25519',
      'badb64.example.com ssh-ed25519 !!!not-base64!!!',
      `wrongtype.example.com ssh-rsa ${base64a}`,
      'short.example.com ssh-ed25519 AAAA',
      `@bogus marker.example.com ${keys.a.line}`,
      `@revoked ${keys.a.line}`,
      `|1|bm90LWEtc2FsdA==|c2hvcnQ= ${keys.a.line}`,
      `|2|abc|def ${keys.a.line}`,
      `,,, ${keys.a.line}`,
      '   # indented comment',
      `ok.example.com ${keys.a.line}\r`,
    ].join('\n');
    const entries = parseKnownHosts(junk);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ names: { kind: 'patterns', patterns: ['ok.example.com'] }, line: 12 });
    expect(parseKnownHosts('')).toEqual([]);
  });
});

describe('lookupHostKey', () => {
  it('matches a plain host name, case-insensitively, and an address on the same line', () => {
    const entries = parseKnownHosts(text());
    expect(lookupHostKey(entries, 'plain.example.com', 22, keys.a.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey(entries, 'PLAIN.Example.com', 22, keys.a.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey(entries, '10.0.0.5', 22, keys.a.blob)).toEqual({ status: 'match' });
  });

  it('uses [host]:port for ports other than 22', () => {
    const entries = parseKnownHosts(text());
    expect(lookupHostKey(entries, 'alt.example.com', 2222, keys.b.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey(entries, 'alt.example.com', 22, keys.b.blob)).toEqual({ status: 'unknown' });
    // The plain entry is about port 22 only.
    expect(lookupHostKey(entries, 'plain.example.com', 2222, keys.a.blob)).toEqual({ status: 'unknown' });
  });

  it('honours * and ? wildcards', () => {
    const entries = parseKnownHosts(text());
    expect(lookupHostKey(entries, 'db.wild.example.com', 22, keys.a.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey(entries, 'web1.example.org', 22, keys.a.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey(entries, 'web12.example.org', 22, keys.a.blob)).toEqual({ status: 'unknown' });
    expect(lookupHostKey(entries, 'wild.example.com', 22, keys.a.blob)).toEqual({ status: 'unknown' });
  });

  it('lets a !negated pattern exclude a host the wildcard would cover', () => {
    const entries = parseKnownHosts(text());
    expect(lookupHostKey(entries, 'secret.wild.example.com', 22, keys.a.blob)).toEqual({ status: 'unknown' });
    expect(lookupHostKey(entries, 'secret.wild.example.com', 22, keys.b.blob)).toEqual({ status: 'unknown' });
  });

  it('refuses a @revoked key even when another line trusts it', () => {
    const entries = parseKnownHosts(text());
    expect(lookupHostKey(entries, 'revoked.example.com', 22, keys.b.blob)).toEqual({ status: 'revoked' });
    expect(
      lookupHostKey(parseKnownHosts(`@revoked * ${keys.a.line}\n${text()}`), 'plain.example.com', 22, keys.a.blob),
    ).toEqual({ status: 'revoked' });
  });

  it('reports a mismatch with the fingerprints of the known keys of the same type', () => {
    const entries = parseKnownHosts(text());
    expect(lookupHostKey(entries, 'changed.example.com', 22, keys.c.blob)).toEqual({
      status: 'mismatch',
      knownFingerprints: [keys.a.fingerprint, keys.b.fingerprint],
    });
    expect(lookupHostKey(entries, 'plain.example.com', 22, keys.b.blob)).toEqual({
      status: 'mismatch',
      knownFingerprints: [keys.a.fingerprint],
    });
    expect(keys.a.fingerprint).toBe(sha256Fingerprint(keys.a.blob));
  });

  it('calls a host unknown when nothing names it, or only keys of another type do', () => {
    const entries = parseKnownHosts(text());
    expect(lookupHostKey(entries, 'new.example.net', 22, keys.a.blob)).toEqual({ status: 'unknown' });
    expect(lookupHostKey(entries, 'typed.example.com', 22, keys.a.blob)).toEqual({ status: 'unknown' });
    expect(lookupHostKey(entries, 'typed.example.com', 22, keys.ecdsa.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey([], 'plain.example.com', 22, keys.a.blob)).toEqual({ status: 'unknown' });
  });

  it('rejects a bad port, an empty host and a presented key that is not a key blob', () => {
    const entries = parseKnownHosts(text());
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof SlipwayError ? err.code : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => lookupHostKey(entries, 'plain.example.com', 0, keys.a.blob))).toBe('INVALID_REQUEST');
    expect(codeOf(() => lookupHostKey(entries, 'plain.example.com', 70000, keys.a.blob))).toBe('INVALID_REQUEST');
    expect(codeOf(() => lookupHostKey(entries, ' ', 22, keys.a.blob))).toBe('INVALID_REQUEST');
    expect(codeOf(() => lookupHostKey(entries, 'plain.example.com', 22, Buffer.from('nope')))).toBe('INVALID_REQUEST');
  });
});

describe('hashed known_hosts (ssh-keygen -H)', () => {
  it('matches host names hashed by OpenSSH, on port 22 and elsewhere', async () => {
    const file = join(dir, 'known_hosts_hashed');
    writeFileSync(
      file,
      [`hashed.example.com ${keys.a.line}`, `[hashed.example.com]:2200 ${keys.b.line}`, ''].join('\n'),
    );
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file]);
    const hashedText = readFileSync(file, 'utf8');
    expect(hashedText).not.toContain('hashed.example.com');

    const entries = await readKnownHosts(file);
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.names.kind === 'hashed')).toBe(true);
    expect(lookupHostKey(entries, 'hashed.example.com', 22, keys.a.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey(entries, 'HASHED.example.com', 22, keys.a.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey(entries, 'hashed.example.com', 2200, keys.b.blob)).toEqual({ status: 'match' });
    expect(lookupHostKey(entries, 'hashed.example.com', 22, keys.c.blob)).toEqual({
      status: 'mismatch',
      knownFingerprints: [keys.a.fingerprint],
    });
    expect(lookupHostKey(entries, 'other.example.com', 22, keys.a.blob)).toEqual({ status: 'unknown' });
  });
});

describe('readKnownHosts', () => {
  it('gives [] for a missing file', async () => {
    await expect(readKnownHosts(join(dir, 'no-such-file'))).resolves.toEqual([]);
  });
});
