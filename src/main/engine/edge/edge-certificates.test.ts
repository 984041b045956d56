import { describe, expect, it } from 'vitest';
import { certificateOf, lastCertificateErrors } from './edge-certificates';

const line = (entry: Record<string, unknown>) => JSON.stringify({ ts: 1, ...entry });

describe("a server edge's certificates", () => {
  it("keeps Caddy's last certificate error per domain, cleared by a certificate obtained later", () => {
    const errors = lastCertificateErrors([
      'not json at all',
      line({ level: 'info', logger: 'http', msg: 'server running' }),
      line({
        level: 'error',
        logger: 'tls.obtain',
        msg: 'could not get certificate from issuer',
        identifier: 'a.example.com',
        error: 'HTTP 400 urn:ietf:params:acme:error:connection',
      }),
      line({ level: 'error', logger: 'tls.obtain', msg: 'will retry', identifier: 'b.example.com', error: 'timeout' }),
      line({
        level: 'info',
        logger: 'tls.obtain',
        msg: 'certificate obtained successfully',
        identifier: 'b.example.com',
      }),
      // Not about certificates: ignored even with an identifier.
      line({ level: 'error', logger: 'http.log', msg: 'x', identifier: 'c.example.com' }),
    ]);
    expect([...errors]).toEqual([
      ['a.example.com', 'could not get certificate from issuer: HTTP 400 urn:ietf:params:acme:error:connection'],
    ]);
  });

  it('says valid, expired, pending, failed or off', () => {
    const now = new Date('2026-12-03T00:00:00Z');
    const stored = new Map([
      ['ok.test', { notAfter: '2027-01-01T00:00:00.000Z', issuer: 'Caddy Local Authority' }],
      ['old.test', { notAfter: '2026-01-01T00:00:00.000Z', issuer: "Let's Encrypt" }],
    ]);
    const errors = new Map([['bad.test', 'could not get certificate from issuer: no route']]);
    expect(certificateOf('ok.test', 'internal', stored, errors, now)).toEqual({
      state: 'valid',
      notAfter: '2027-01-01T00:00:00.000Z',
      issuer: 'Caddy Local Authority',
    });
    expect(certificateOf('old.test', 'acme', stored, errors, now).state).toBe('expired');
    expect(certificateOf('new.test', 'acme', stored, errors, now)).toEqual({ state: 'pending' });
    expect(certificateOf('bad.test', 'acme', stored, errors, now)).toEqual({
      state: 'failed',
      lastError: 'could not get certificate from issuer: no route',
    });
    expect(certificateOf('ok.test', 'off', stored, errors, now)).toEqual({ state: 'off' });
  });
});
