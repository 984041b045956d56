import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../../../shared/errors';
import { sha256Fingerprint } from '../hosts/host-key';
import { decideHostKey, hostKeyVerifier } from './host-key-policy';
import { parseKnownHosts } from './known-hosts';

/** An SSH public key blob: the key type as an SSH string, then key bytes. */
function keyBlob(type = 'ssh-ed25519'): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, randomBytes(36)]);
}

const line = (hosts: string, key: Buffer, marker = '') =>
  `${marker ? `${marker} ` : ''}${hosts} ssh-ed25519 ${key.toString('base64')}`;

const server = { host: 'web.example', port: 22, hostKey: null as string | null };

describe('decideHostKey', () => {
  const presented = keyBlob();
  const other = keyBlob();

  it('accepts the fingerprint the user trusted, whatever known_hosts says', () => {
    const known = parseKnownHosts(line('web.example', other));
    expect(decideHostKey({ ...server, hostKey: sha256Fingerprint(presented) }, known, presented)).toEqual({
      accept: true,
      vouched: null,
    });
  });

  it('refuses a key other than the trusted one, naming both fingerprints', () => {
    const decision = decideHostKey({ ...server, hostKey: sha256Fingerprint(other) }, [], presented);
    expect(decision.accept).toBe(false);
    const error = (decision as { error: SlipwayError }).error;
    expect(error.code).toBe('HOST_KEY_MISMATCH');
    expect(error.message).toContain(sha256Fingerprint(other));
    expect(error.message).toContain(sha256Fingerprint(presented));
    expect(error.message).toContain('web.example:22');
    expect(error.details).toEqual({ expected: sha256Fingerprint(other), presented: sha256Fingerprint(presented) });
  });

  it('accepts a key known_hosts lists, and vouches for its fingerprint', () => {
    const known = parseKnownHosts(line('web.example', presented));
    expect(decideHostKey(server, known, presented)).toEqual({ accept: true, vouched: sha256Fingerprint(presented) });
  });

  it('looks a non-default port up as [host]:port', () => {
    const known = parseKnownHosts(line('[web.example]:2222', presented));
    expect(decideHostKey({ ...server, port: 2222 }, known, presented).accept).toBe(true);
    expect(decideHostKey(server, known, presented)).toMatchObject({ accept: false });
  });

  it('refuses a key that contradicts known_hosts, naming both fingerprints', () => {
    const known = parseKnownHosts(line('web.example', other));
    const decision = decideHostKey(server, known, presented);
    const error = (decision as { error: SlipwayError }).error;
    expect(error.code).toBe('HOST_KEY_MISMATCH');
    expect(error.message).toContain('~/.ssh/known_hosts');
    expect(error.message).toContain(sha256Fingerprint(other));
    expect(error.message).toContain(sha256Fingerprint(presented));
    expect(error.details).toEqual({ expected: sha256Fingerprint(other), presented: sha256Fingerprint(presented) });
  });

  it('refuses a revoked key', () => {
    const known = parseKnownHosts([line('web.example', presented), line('*', presented, '@revoked')].join('\n'));
    const error = (decideHostKey(server, known, presented) as { error: SlipwayError }).error;
    expect(error.code).toBe('HOST_KEY_MISMATCH');
    expect(error.details).toEqual({ expected: 'none (the key is revoked)', presented: sha256Fingerprint(presented) });
  });

  it('leaves a key nobody vouches for untrusted, with the presented fingerprint for the user to check', () => {
    const known = parseKnownHosts(line('elsewhere.example', presented));
    const error = (decideHostKey(server, known, presented) as { error: SlipwayError }).error;
    expect(error.code).toBe('HOST_KEY_UNTRUSTED');
    expect(error.details).toEqual({ presented: sha256Fingerprint(presented) });
    expect(error.message).toContain(sha256Fingerprint(presented));
  });
});

describe('hostKeyVerifier', () => {
  it('returns null to go on, and remembers what known_hosts vouched for', () => {
    const key = keyBlob();
    const verifier = hostKeyVerifier(server, parseKnownHosts(line('web.example', key)));
    expect(verifier.vouched()).toBeNull();
    expect(verifier.verifyHostKey(key)).toBeNull();
    expect(verifier.vouched()).toBe(sha256Fingerprint(key));
  });

  it('returns the error that refuses a key, vouching for nothing', () => {
    const verifier = hostKeyVerifier(server, []);
    expect(verifier.verifyHostKey(keyBlob())).toMatchObject({ code: 'HOST_KEY_UNTRUSTED' });
    expect(verifier.vouched()).toBeNull();
  });

  it('vouches for nothing when the user trusted the key', () => {
    const key = keyBlob();
    const verifier = hostKeyVerifier({ ...server, hostKey: sha256Fingerprint(key) }, []);
    expect(verifier.verifyHostKey(key)).toBeNull();
    expect(verifier.vouched()).toBeNull();
  });
});
