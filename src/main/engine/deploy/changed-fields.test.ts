import { describe, expect, it } from 'vitest';
import { countChangedFields } from './changed-fields';

const spec = (instances: number, envs: Array<{ key: string; value: string }>) => ({
  name: 'site',
  services: [{ name: 'web', instance_count: instances, envs }],
});

describe('countChangedFields', () => {
  it('counts nothing for equal specs, whatever the order of their lists', () => {
    const a = { services: [{ name: 'web' }, { name: 'api' }] };
    const b = { services: [{ name: 'api' }, { name: 'web' }] };
    expect(countChangedFields(a, b)).toBe(0);
  });

  it('counts a changed value once', () => {
    expect(countChangedFields(spec(1, []), spec(2, []))).toBe(1);
  });

  it('counts an added env var once, however many fields it has', () => {
    const before = spec(1, [{ key: 'A', value: '1' }]);
    const after = spec(2, [
      { key: 'A', value: '1' },
      { key: 'B', value: '2' },
    ]);
    expect(countChangedFields(before, after)).toBe(2);
  });

  it('counts a removed component and an added top-level field', () => {
    const before = { name: 'x', services: [{ name: 'web' }, { name: 'api' }] };
    const after = { name: 'x', region: 'ams', services: [{ name: 'web' }] };
    expect(countChangedFields(before, after)).toBe(2);
  });

  it('counts a type change of a value as one field', () => {
    expect(countChangedFields({ a: [1] }, { a: 'x' })).toBe(1);
  });
});
