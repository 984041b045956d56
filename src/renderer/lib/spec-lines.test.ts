import { describe, expect, it } from 'vitest';
import { lineOfField, parseFieldPath } from './spec-lines';

const SPEC = `# a comment
name: shop
services:
  - name: web
    http_port: eighty
    envs:
      - key: TOKEN
        value: x
  - name: api
workers:
  - name: "odd name"
`;

describe('parseFieldPath', () => {
  it('reads the paths the spec loader writes', () => {
    expect(parseFieldPath('services[1].envs[0].key')).toEqual(['services', 1, 'envs', 0, 'key']);
    expect(parseFieldPath('["odd key"].x')).toEqual(['odd key', 'x']);
    expect(parseFieldPath('')).toEqual([]);
    expect(parseFieldPath('services[')).toBeNull();
  });
});

describe('lineOfField', () => {
  it('finds the line of a field, a list item and a nested key', () => {
    expect(lineOfField(SPEC, 'name')).toBe(2);
    expect(lineOfField(SPEC, 'services[0].http_port')).toBe(5);
    expect(lineOfField(SPEC, 'services[0].envs[0].value')).toBe(8);
    expect(lineOfField(SPEC, 'services[1]')).toBe(9);
  });

  it('falls back to the nearest field that exists', () => {
    expect(lineOfField(SPEC, 'services[1].dockerfile_path')).toBe(9);
    expect(lineOfField(SPEC, 'services[5].name')).toBe(3);
    expect(lineOfField(SPEC, 'jobs')).toBeNull();
  });

  it('looks inside spec: in a deploy template', () => {
    const template = 'spec:\n  name: shop\n  services:\n    - name: web\n      http_port: x\n';
    expect(lineOfField(template, 'services[0].http_port')).toBe(5);
  });

  it('never throws on text that is not YAML', () => {
    expect(lineOfField('name: [unclosed', 'name')).toBe(1);
    expect(lineOfField('', 'name')).toBeNull();
  });
});
