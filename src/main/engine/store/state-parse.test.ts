import { describe, expect, it } from 'vitest';
import { parseState } from './state-parse';
import { SCHEMA_VERSION } from './state-migrations';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const app = { name: 'shop', server: 'local', specYaml: 'name: shop\n', sourcePath: null, hostPorts: { web: 20001 } };
const stamped = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
const good = { schemaVersion: SCHEMA_VERSION, apps: [{ ...app, ...stamped }], deployments: [], servers: [] };
const reason = (text: string | Buffer) => {
  const parsed = parseState(typeof text === 'string' ? bytes(text) : text);
  return parsed.kind === 'damaged' ? parsed.reason : parsed.kind;
};

describe('reading a state file', () => {
  it('reads a state of this version as it is, and migrates an older one', () => {
    expect(parseState(bytes(JSON.stringify(good)))).toEqual({ kind: 'ok', state: good });
    const v1 = { schemaVersion: 1, apps: [{ ...app, ...stamped }], deployments: [] };
    expect(parseState(bytes(JSON.stringify(v1)))).toEqual({
      kind: 'ok',
      state: { ...v1, schemaVersion: 2, servers: [] },
    });
  });

  it('says a truncated or unparsable file is damaged, without quoting it', () => {
    const text = JSON.stringify(good, null, 2);
    expect(reason(text.slice(0, text.length / 2))).toBe('it ends midway, as if cut short');
    expect(reason(text.slice(0, 1))).toBe('it ends midway, as if cut short');
    expect(reason('')).toBe('it is empty');
    expect(reason('  \n')).toBe('it is empty');
    expect(reason('{"apps": [] "secret-ish": 1}')).toMatch(/^it is not valid JSON( \(at character \d+\))?$/);
    expect(reason('{"apps": [] "secret-ish": 1}')).not.toContain('secret-ish');
    expect(reason(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toBe('it is not UTF-8 text');
  });

  it('says valid JSON of the wrong shape is damaged, naming where', () => {
    expect(reason('[]')).toBe('it holds a list where Slipway keeps an object');
    expect(reason('42')).toBe('it holds a number where Slipway keeps an object');
    expect(reason('"hello"')).toBe('it holds a string where Slipway keeps an object');
    expect(reason('null')).toBe('it holds null where Slipway keeps an object');
    expect(reason('{}')).toBe('it has neither a schemaVersion nor apps');
    expect(reason('{"schemaVersion": "2", "apps": []}')).toBe('its schemaVersion is not a version number');
    const nameless = { ...good, apps: [{ ...good.apps[0], name: undefined }] };
    expect(reason(JSON.stringify(nameless))).toMatch(/^it is not in the shape Slipway writes: apps\[0\]\.name: /);
    expect(reason(JSON.stringify({ ...good, apps: {} }))).toMatch(/^it is not in the shape Slipway writes: apps: /);
    expect(reason(JSON.stringify({ ...good, deployments: [{ id: 'x' }] }))).toMatch(
      /deployments\[0\]\.app: .*\(and \d+ more\)$/,
    );
  });

  it('tells a state from a newer Slipway apart from a damaged one', () => {
    expect(parseState(bytes(JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1, whatever: true })))).toEqual({
      kind: 'too-new',
      schemaVersion: SCHEMA_VERSION + 1,
    });
  });

  it('keeps fields it does not know, so a later version loses nothing', () => {
    const extra = { ...good, futureField: { a: 1 }, apps: [{ ...good.apps[0], futureAppField: 'x' }] };
    expect(parseState(bytes(JSON.stringify(extra)))).toEqual({ kind: 'ok', state: extra });
  });
});
