import { describe, expect, it } from 'vitest';
import { loadAppSpec } from '../../src/shared/spec/load-spec';
import { BAD_SPECS } from '../support/bad-specs';

describe('bad specs are refused with an error naming the field', () => {
  it('has at least twenty kinds of bad spec', () => {
    expect(BAD_SPECS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(BAD_SPECS)('$what → $path', ({ yaml, path, message }) => {
    const result = loadAppSpec(yaml);
    expect(result.spec).toBeNull();
    const error = result.errors.find((e) => e.path === path);
    expect(error, `errors were ${JSON.stringify(result.errors)}`).toBeDefined();
    if (message) expect(error?.message).toMatch(message);
    for (const problem of [...result.errors, ...result.warnings]) {
      expect(problem.path).not.toBe('');
      expect(problem.message).not.toBe('');
    }
  });
});

describe('the loader is total', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['an object', { name: 'shop' }],
    ['undefined', undefined],
  ])('answers %s (not YAML text) with an error', (_what, input) => {
    const result = loadAppSpec(input as unknown as string, { fileName: 'app.yaml' });
    expect(result).toEqual({ spec: null, errors: [{ path: 'app.yaml', message: expect.any(String) }], warnings: [] });
  });

  it('survives deep nesting', () => {
    const deep = `name: shop\nservices: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const result = loadAppSpec(deep);
    expect(result.spec).toBeNull();
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('survives an alias to itself', () => {
    for (const yaml of ['name: shop\nservices: &a [*a]\n', 'name: shop\nservices:\n  - &a {name: web, envs: [*a]}\n']) {
      const result = loadAppSpec(yaml);
      expect(result.spec).toBeNull();
      expect(result.errors.length).toBeGreaterThan(0);
    }
  });

  it.each([
    'name: shop\nservices:\n  - name: web\n    ? [a, b]\n    : c\n',
    'name: shop\n? {x: 1}\n: y\nservices: [{name: web}]\n',
    '!!binary aGVsbG8=\n',
    'name: !custom shop\nservices: [{name: web}]\n',
    'name: shop\nservices:\n  - name: web\n    envs: [[], {}, null, 1, "x"]\n',
    'name: shop\nservices:\n  - name: web\n    __proto__: {http_port: 1}\n    constructor: 1\n',
    '---\nname: a\n---\nname: b\n',
    '\u0000',
    '\uFEFFname: shop\nservices: [{name: web}]\n',
  ])('answers odd YAML %j without throwing', (yaml) => {
    const result = loadAppSpec(yaml);
    for (const problem of [...result.errors, ...result.warnings]) {
      expect(problem.path).not.toBe('');
      expect(problem.message).not.toBe('');
    }
  });
});

describe('several errors at once', () => {
  it('reports every error in one load, not only the first', () => {
    const yaml = `
name: Bad;Name
services:
  - name: web
    http_port: 0
    instance_count: 100
    source_dir: ../../etc
    git:
      repo_clone_url: https://github.com/a/b.git
      branch: --upload-pack=x
    envs:
      - key: 1BAD
      - key: OK
        scope: NEVER
  - name: web
    image:
      registry_type: DOCKER_HUB
      repository: nginx
    dockerfile_path: ../x
workers:
  - name: "a;rm -rf /"
  - name: builder
    environment_slug: node-js
    instance_count: 0
jobs:
  - name: job
    kind: WHENEVER
`;
    const result = loadAppSpec(yaml);
    expect(result.spec).toBeNull();
    expect(result.errors.map((e) => e.path).sort()).toEqual(
      [
        'name',
        'services[0].http_port',
        'services[0].instance_count',
        'services[0].source_dir',
        'services[0].git.branch',
        'services[0].envs[0].key',
        'services[0].envs[1].scope',
        'services[1].dockerfile_path',
        'services[1].name',
        'workers[0].name',
        'jobs[0].kind',
      ].sort(),
    );
  });
});
