import { describe, expect, it } from 'vitest';
import { MAX_YAML_DEPTH, readYaml, YamlScalar } from './read-yaml';

describe('readYaml', () => {
  it('keeps numbers and booleans with the text they were written as', () => {
    const result = readYaml('tag: 1.20\nport: 8080\non: true\nname: x\n');
    expect(result).toMatchObject({ ok: true });
    const value = (result as { value: Record<string, unknown> }).value;
    expect(value.tag).toEqual(new YamlScalar(1.2, '1.20'));
    expect(value.port).toEqual(new YamlScalar(8080, '8080'));
    expect(value.on).toEqual(new YamlScalar(true, 'true'));
    expect(value.name).toBe('x');
  });

  it('keeps numeric keys as written', () => {
    const result = readYaml('8080: a\n');
    expect(result).toMatchObject({ ok: true, value: { '8080': 'a' } });
  });

  it('names the line and column of a syntax error', () => {
    const result = readYaml('name: x\nservices:\n  - name: [unclosed\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/line \d+, column \d+/);
  });

  it('counts lines from 1, also in one-line input', () => {
    expect(readYaml('name: [web')).toMatchObject({ ok: false, message: expect.stringContaining('line 1, column') });
    expect(readYaml('a: 1\nb: [x\n')).toMatchObject({ ok: false, message: expect.stringMatching(/line [23], column/) });
  });

  it('refuses a key set twice, naming the key and where it is set again', () => {
    expect(readYaml('name: a\nservices: []\nname: b\n')).toMatchObject({
      ok: false,
      message: 'YAML syntax error at line 3, column 1: Map keys must be unique; "name" is set twice',
    });
    expect(readYaml('a: {x: 1, "x": 2}\n')).toMatchObject({
      ok: false,
      message: expect.stringContaining('"x" is set twice'),
    });
  });

  it('refuses nesting deeper than its bound with a clear message, however deep', () => {
    const flow = (depth: number) => `name: x\nnested: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const block = (depth: number) =>
      `name: x\nnested:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i + 2)}k${i}:`).join('\n')} end\n`;
    expect(readYaml(flow(MAX_YAML_DEPTH - 1))).toMatchObject({ ok: true });
    expect(readYaml(block(MAX_YAML_DEPTH - 1))).toMatchObject({ ok: true });
    for (const text of [flow(MAX_YAML_DEPTH + 1), flow(100_000), block(MAX_YAML_DEPTH + 1), block(700)]) {
      expect(readYaml(text)).toEqual({
        ok: false,
        message: expect.stringMatching(
          new RegExp(`^the YAML nests deeper than ${MAX_YAML_DEPTH} levels at line \\d+, column \\d+`),
        ),
        warnings: [],
      });
    }
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i <= 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const result = readYaml(lines.join('\n'));
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('alias') });
  });

  it('accepts a few ordinary anchors and merge keys', () => {
    const result = readYaml('base: &base {instance_count: 1}\nsvc:\n  <<: *base\n  name: web\n');
    expect(result).toMatchObject({ ok: true, value: { svc: { name: 'web' } } });
  });

  it('refuses very large input', () => {
    expect(readYaml('#'.repeat(2 * 1024 * 1024)).ok).toBe(false);
  });
});
