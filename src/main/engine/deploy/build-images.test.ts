import { describe, expect, it } from 'vitest';
import { loadAppSpec } from '../../../shared/spec/load-spec';
import { buildInputs } from './build-images';

function component(url: string, greeting = 'hi') {
  const { spec, errors } = loadAppSpec(
    [
      'name: shop',
      'services:',
      '  - name: web',
      `    git: { repo_clone_url: "${url}", branch: main }`,
      '    dockerfile_path: Dockerfile',
      '    envs:',
      '      - { key: GREETING, value: ' + greeting + ', scope: BUILD_TIME }',
      '',
    ].join('\n'),
  );
  expect(errors).toEqual([]);
  return spec!.components[0]!;
}

describe('build inputs', () => {
  it('are the same whatever credential the clone URL carries, sealed anew or not', () => {
    const plain = buildInputs(component('https://example.com/shop.git'));
    expect(buildInputs(component('https://user:token@example.com/shop.git'))).toBe(plain);
    expect(buildInputs(component('https://slipway-sealed%3Av1%3Aabc@example.com/shop.git'))).toBe(plain);
  });

  it('change with the repository and with a build-time value', () => {
    const plain = buildInputs(component('https://example.com/shop.git'));
    expect(buildInputs(component('https://example.com/other.git'))).not.toBe(plain);
    expect(buildInputs(component('https://example.com/shop.git', 'hello'))).not.toBe(plain);
  });
});
