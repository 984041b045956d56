import { describe, expect, it } from 'vitest';
import { loadDomains } from './domains';
import { ProblemList } from './spec-problems';

function load(value: unknown) {
  const problems = new ProblemList();
  return { domains: loadDomains(value, problems), errors: problems.errors, warnings: problems.warnings };
}

describe('domains:', () => {
  it('loads PRIMARY and ALIAS host names, lower case, PRIMARY by default', () => {
    expect(load([{ domain: 'App.Example.com.' }, { domain: 'www.example.com', type: 'ALIAS' }])).toEqual({
      domains: [
        { domain: 'app.example.com', type: 'PRIMARY' },
        { domain: 'www.example.com', type: 'ALIAS' },
      ],
      errors: [],
      warnings: [],
    });
    expect(load(undefined).domains).toEqual([]);
  });

  it('warns, naming the domain, about a wildcard (left out) and a zone (ignored)', () => {
    const result = load([
      { domain: '*.example.com', type: 'WILDCARD' },
      { domain: 'api.example.com', zone: 'example.com' },
    ]);
    expect(result.domains).toEqual([{ domain: 'api.example.com', type: 'PRIMARY' }]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      { path: 'domains[0].type', message: expect.stringMatching(/^\*\.example\.com: .*wildcard/) },
      { path: 'domains[1].zone', message: expect.stringMatching(/^api\.example\.com: .*DNS zones/) },
    ]);
  });

  it('names a bad entry, a bad type and a repeat', () => {
    const result = load([
      'x',
      { domain: 'no_underscores.example' },
      { domain: 'a.example', type: 'OTHER' },
      { domain: 'b.example' },
      { domain: 'B.example' },
    ]);
    expect(result.domains).toEqual([{ domain: 'b.example', type: 'PRIMARY' }]);
    expect(result.errors.map((e) => e.path)).toEqual([
      'domains[0]',
      'domains[1].domain',
      'domains[2].type',
      'domains[4].domain',
    ]);
    expect(load('a.example').errors[0]?.path).toBe('domains');
  });
});
