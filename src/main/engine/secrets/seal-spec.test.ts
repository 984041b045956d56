import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcmBox, isSealed } from './secret-box';
import { keepMaskedSecrets, maskSpecSecrets, sealSpecSecrets } from './seal-spec';

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
});
