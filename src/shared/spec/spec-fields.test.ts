import { describe, expect, it } from 'vitest';
import { APP_ADVICE, reportFields } from './spec-fields';
import { ProblemList } from './spec-problems';

function report(raw: Record<string, unknown>, path: (string | number)[] = []) {
  const problems = new ProblemList();
  reportFields(raw, path, new Set(['name', 'services']), APP_ADVICE, problems);
  return problems.warnings;
}

describe('reportFields', () => {
  it('says nothing about fields it reads', () => {
    expect(report({ name: 'x', services: [] })).toEqual([]);
  });

  it('gives advice for DigitalOcean fields Slipway cannot honour', () => {
    expect(report({ region: 'nyc' })).toEqual([
      { path: 'region', message: expect.stringContaining('not to a region') },
    ]);
  });

  it('stays quiet when an ignored field holds nothing', () => {
    expect(report({ functions: [], alerts: null, egress: {} })).toEqual([]);
  });

  it('reports unknown fields, suggesting a near name', () => {
    expect(report({ servics: [] }, ['spec'])).toEqual([
      { path: 'spec.servics', message: expect.stringMatching(/unknown field.*in spec.*`services`/) },
    ]);
    expect(report({ colour: 'blue' })).toEqual([
      { path: 'colour', message: expect.not.stringContaining('Did you mean') },
    ]);
  });

  it('quotes odd keys in paths and messages', () => {
    expect(report({ 'a\nb': 1 })).toEqual([{ path: '["a\\nb"]', message: expect.stringContaining('"a\\nb"') }]);
  });
});
