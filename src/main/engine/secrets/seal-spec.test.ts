import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcmBox, isSealed } from './secret-box';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { keepMaskedSecrets, maskSpecSecrets, sealSpecSecrets, secretValues } from './seal-spec';
import { openUrlCredentials } from './url-credentials';

const SPEC = `name: shop
envs:
  - key: API_TOKEN
    value: tok-123456
    type: SECRET
  - key: MODE
    value: production
services:
  - name: web
    envs:
      - key: DB_PASSWORD
        value: "hunter2-long"
        type: SECRET
        scope: RUN_TIME
`;

describe('spec secrets', () => {
  const box = aesGcmBox(randomBytes(32));

  it('seals every SECRET value and nothing else', () => {
    const sealed = sealSpecSecrets(SPEC, box);
    expect(sealed).not.toContain('tok-123456');
    expect(sealed).not.toContain('hunter2-long');
    expect(sealed).toContain('value: production');
    const values = [...sealed.matchAll(/value: "?([^"\s]+)/g)].map((m) => m[1]!);
    expect(values.filter(isSealed).map((v) => box.open(v))).toEqual(['tok-123456', 'hunter2-long']);
  });

  it('does not seal twice', () => {
    const once = sealSpecSecrets(SPEC, box);
    expect(sealSpecSecrets(once, box)).toBe(once);
  });

  it('masks secrets for screens and keeps the sealed value when the mask comes back', () => {
    const sealed = sealSpecSecrets(SPEC, box);
    const masked = maskSpecSecrets(sealed);
    expect(masked).not.toMatch(/slipway-sealed/);
    expect(masked).toContain('value: "********"');
    const edited = masked.replace('value: production', 'value: staging');
    const merged = keepMaskedSecrets(edited, sealed);
    expect(merged).toContain('value: staging');
    const values = [...merged.matchAll(/value: "?([^"\s]+)/g)].map((m) => m[1]!);
    expect(values.filter(isSealed).map((v) => box.open(v))).toEqual(['tok-123456', 'hunter2-long']);
  });

  const GIT_SPEC = `name: shop
services:
  - name: web
    git:
      repo_clone_url: https://ana:tok-SENTINEL-1@git.example.com/acme/shop.git
      branch: main
  - name: api
    git:
      repo_clone_url: ssh://git@github.com/acme/api.git
`;

  it('masks the credential of a clone URL for screens, and keeps it when the mask comes back', () => {
    const masked = maskSpecSecrets(GIT_SPEC);
    expect(masked).not.toContain('tok-SENTINEL-1');
    expect(masked).not.toContain('ana');
    expect(masked).toContain('repo_clone_url: https://slipway-hidden@git.example.com/acme/shop.git');
    // An ssh URL's user is a login name, not a secret.
    expect(masked).toContain('repo_clone_url: ssh://git@github.com/acme/api.git');
    // The masked spec is still a valid spec: a screen can send it back as it is.
    expect(loadAppSpec(masked).spec).not.toBeNull();
    const edited = masked.replace('branch: main', 'branch: next');
    expect(keepMaskedSecrets(edited, GIT_SPEC)).toBe(GIT_SPEC.replace('branch: main', 'branch: next'));
  });

  it('keeps no credential for a mask on another repository', () => {
    const moved = maskSpecSecrets(GIT_SPEC).replace('acme/shop.git', 'acme/other.git');
    expect(keepMaskedSecrets(moved, GIT_SPEC)).toContain('https://slipway-hidden@git.example.com/acme/other.git');
  });

  it('counts a clone URL’s credential among the values logs must hide', () => {
    const spec = loadAppSpec(GIT_SPEC).spec!;
    expect(secretValues(spec, box)).toEqual({ 'web.repo_clone_url': 'tok-SENTINEL-1' });
  });

  const CLONE_URL = 'https://ana:tok-SENTINEL-1@git.example.com/acme/shop.git';

  it('seals a clone URL’s credential in the stored spec, which still loads and opens to the URL written', () => {
    const sealed = sealSpecSecrets(GIT_SPEC, box);
    expect(sealed).not.toContain('tok-SENTINEL-1');
    expect(sealed).not.toContain('ana:');
    expect(sealed).toMatch(/repo_clone_url: https:\/\/slipway-sealed%3Av1%3A\S+@git\.example\.com\/acme\/shop\.git\n/);
    expect(sealed).toContain('repo_clone_url: ssh://git@github.com/acme/api.git');
    const spec = loadAppSpec(sealed).spec!;
    const web = spec.components.find((c) => c.name === 'web')!.source;
    expect(web.type === 'git' && openUrlCredentials(web.url, box)).toBe(CLONE_URL);
    expect(sealSpecSecrets(sealed, box)).toBe(sealed);
    expect(secretValues(spec, box)).toEqual({ 'web.repo_clone_url': 'tok-SENTINEL-1' });
  });

  it('masks a sealed clone URL for screens and keeps it sealed when the mask comes back', () => {
    const sealed = sealSpecSecrets(GIT_SPEC, box);
    const masked = maskSpecSecrets(sealed);
    expect(masked).not.toContain('slipway-sealed');
    expect(masked).toContain('repo_clone_url: https://slipway-hidden@git.example.com/acme/shop.git');
    const edited = masked.replace('branch: main', 'branch: next');
    const stored = sealSpecSecrets(keepMaskedSecrets(edited, sealed), box);
    expect(stored).toBe(sealed.replace('branch: main', 'branch: next'));
  });

  it('stores a mask that has no credential to come back to as the mask, not sealed', () => {
    const moved = maskSpecSecrets(GIT_SPEC).replace('acme/shop.git', 'acme/other.git');
    expect(sealSpecSecrets(keepMaskedSecrets(moved, GIT_SPEC), box)).toContain(
      'repo_clone_url: https://slipway-hidden@git.example.com/acme/other.git',
    );
  });
});
