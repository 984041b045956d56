import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcmBox } from '../secrets/secret-box';
import { sealSpecSecrets } from '../secrets/seal-spec';
import { specChanges } from './spec-changes';

const spec = (instances: number, secret: string, extra = '') => `name: site
services:
  - name: web
    instance_count: ${instances}
    image:
      registry_type: DOCKER_HUB
      repository: nginx
    envs:
      - key: TOKEN
        value: ${secret}
        type: SECRET${extra}
`;
const names = { before: 'live', after: 'next' };

describe('specChanges', () => {
  const box = aesGcmBox(randomBytes(32));

  it('diffs two specs with secret values masked, counting the fields that changed', () => {
    const before = sealSpecSecrets(spec(1, 'old-secret-value'), box);
    const after = spec(2, 'new-secret-value', '\n      - key: GREETING\n        value: hello');
    const changes = specChanges(before, after, box, names);
    expect(changes.diff).toContain('-    instance_count: 1');
    expect(changes.diff).toContain('+    instance_count: 2');
    expect(changes.diff).toContain('+      - key: GREETING');
    expect(changes.diff).not.toMatch(/old-secret-value|new-secret-value/);
    expect(changes.envKeys).toEqual({ added: ['web/GREETING'], removed: [], changed: ['web/TOKEN'] });
    // instance_count, the new env var, and the secret whose masked value looks unchanged.
    expect(changes.changedFields).toBe(3);
  });

  it('finds nothing between a sealed spec and the same one in clear', () => {
    const clear = spec(1, 'same-secret');
    const changes = specChanges(sealSpecSecrets(clear, box), clear, box, names);
    expect(changes).toEqual({ diff: '', envKeys: { added: [], removed: [], changed: [] }, changedFields: 0 });
  });
});
