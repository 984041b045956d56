import { describe, expect, it } from 'vitest';
import { loadAppSpec } from './load-spec';

const COMPONENTS = `
name: shop
services: [{ name: web }, { name: api }]
static_sites: [{ name: docs }]
workers: [{ name: queue }]
jobs: [{ name: migrate, kind: PRE_DEPLOY }]
databases: [{ name: db, engine: PG }]
`;

/** A spec with every kind of component and a database, and these ingress rules. */
function withRules(rules: string) {
  return loadAppSpec(`${COMPONENTS}ingress:\n  rules:\n${rules.replace(/^/gm, '    ')}\n`);
}

describe('ingress rules', () => {
  it('load the rules that lead to a component, in spec order, prefixes without a trailing slash', () => {
    const result = withRules(`
- component: { name: web }
  match: { path: { prefix: / } }
- component: { name: api, preserve_path_prefix: true }
  match: { path: { prefix: /api/ } }
- component: { name: docs }
  match: { path: { prefix: /docs } }`);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.spec?.ingress).toEqual([
      { prefix: '/', component: 'web', preservePathPrefix: false },
      { prefix: '/api', component: 'api', preservePathPrefix: true },
      { prefix: '/docs', component: 'docs', preservePathPrefix: false },
    ]);
  });

  it('read a rule without match, or without path, as the prefix /', () => {
    for (const rule of ['- component: { name: web }', '- { component: { name: web }, match: {} }']) {
      expect(withRules(rule).spec?.ingress).toEqual([{ prefix: '/', component: 'web', preservePathPrefix: false }]);
    }
  });

  it('are absent from a spec without ingress, or with no rules', () => {
    for (const yaml of [COMPONENTS, `${COMPONENTS}ingress: {}\n`, `${COMPONENTS}ingress: { rules: [] }\n`]) {
      const result = loadAppSpec(yaml);
      expect(result.warnings).toEqual([]);
      expect(result.spec).not.toBeNull();
      expect(result.spec?.ingress).toBeUndefined();
    }
  });

  it('lead a rule naming a component as written to the name Slipway gave it', () => {
    const result = loadAppSpec(
      'name: shop\nservices: [{ name: Web }]\ningress: { rules: [{ component: { name: Web } }] }',
    );
    expect(result.spec?.ingress).toEqual([{ prefix: '/', component: 'web', preservePathPrefix: false }]);
  });

  it.each([
    {
      what: 'an undeclared component',
      rules: '- component: { name: shop }',
      path: 'ingress.rules[0].component.name',
      message: /"shop" is not a component of this spec/,
    },
    {
      what: 'a worker',
      rules: '- component: { name: queue }',
      path: 'ingress.rules[0].component.name',
      message: /queue is a worker, which receives no HTTP/,
    },
    {
      what: 'a job',
      rules: '- component: { name: migrate }',
      path: 'ingress.rules[0].component.name',
      message: /migrate is a job, which receives no HTTP/,
    },
    {
      what: 'a database',
      rules: '- component: { name: db }',
      path: 'ingress.rules[0].component.name',
      message: /db is a database, which receives no HTTP/,
    },
    {
      what: 'no component name',
      rules: '- component: { preserve_path_prefix: true }',
      path: 'ingress.rules[0].component.name',
      message: /required/,
    },
    {
      what: 'a component that is text',
      rules: '- component: web',
      path: 'ingress.rules[0].component',
      message: /mapping/,
    },
    {
      what: 'preserve_path_prefix "yes please"',
      rules: '- component: { name: web, preserve_path_prefix: yes please }',
      path: 'ingress.rules[0].component.preserve_path_prefix',
      message: /true or false/,
    },
    {
      what: 'a prefix without a slash',
      rules: '- { component: { name: api }, match: { path: { prefix: api } } }',
      path: 'ingress.rules[0].match.path.prefix',
      message: /starting with "\/"/,
    },
    {
      what: 'a prefix with a wildcard, which Caddy would read as one',
      rules: "- { component: { name: api }, match: { path: { prefix: '/api*' } } }",
      path: 'ingress.rules[0].match.path.prefix',
      message: /no \*, %, \? or #/,
    },
    {
      what: 'a prefix that is a number',
      rules: '- { component: { name: api }, match: { path: { prefix: 1 } } }',
      path: 'ingress.rules[0].match.path.prefix',
      message: /the number 1/,
    },
    {
      what: 'a path that is text',
      rules: '- { component: { name: api }, match: { path: /api } }',
      path: 'ingress.rules[0].match.path',
      message: /prefix/,
    },
    {
      what: 'a match that is a list',
      rules: '- { component: { name: api }, match: [] }',
      path: 'ingress.rules[0].match',
      message: /mapping/,
    },
    {
      what: 'two rules with one prefix',
      rules:
        '- { component: { name: web }, match: { path: { prefix: /a } } }\n- { component: { name: api }, match: { path: { prefix: /a/ } } }',
      path: 'ingress.rules[1].match.path.prefix',
      message: /\/a is already the prefix of ingress\.rules\[0\]/,
    },
    {
      what: 'two rules at / without match',
      rules: '- component: { name: web }\n- component: { name: api }',
      path: 'ingress.rules[1]',
      message: /\/ is already the prefix/,
    },
    { what: 'a rule that is text', rules: '- web', path: 'ingress.rules[0]', message: /mapping with `component`/ },
    {
      what: 'a rule leading nowhere',
      rules: '- match: { path: { prefix: /api } }',
      path: 'ingress.rules[0]',
      message: /must lead to a component/,
    },
    {
      what: 'a rule with component and redirect',
      rules: '- { component: { name: web }, redirect: { uri: /x } }',
      path: 'ingress.rules[0].redirect',
      message: /not both/,
    },
  ])('refuse $what, naming $path', ({ rules, path, message }) => {
    const result = withRules(rules);
    expect(result.spec).toBeNull();
    expect(result.errors).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it('refuse rules that are not a list, and an ingress that is not a mapping', () => {
    expect(loadAppSpec(`${COMPONENTS}ingress: { rules: { component: { name: web } } }`).errors).toEqual([
      { path: 'ingress.rules', message: expect.stringMatching(/must be a list of rules/) },
    ]);
    expect(loadAppSpec(`${COMPONENTS}ingress: everything to web`).errors).toEqual([
      { path: 'ingress', message: expect.stringMatching(/must be a mapping with `rules`/) },
    ]);
  });

  it('warn about what Slipway cannot do yet, and still load the rest', () => {
    const result = withRules(`
- component: { name: api, rewrite: /v2 }
  match: { path: { prefix: /api }, authority: { exact: example.com } }
  cors: { allow_origins: [{ exact: https://example.com }] }
  colour: blue
- redirect: { uri: /new, authority: x, port: 443, scheme: https, redirect_code: 301 }
  match: { path: { prefix: /old } }
- component: { name: web }`);
    expect(result.errors).toEqual([]);
    expect(result.spec?.ingress).toEqual([
      { prefix: '/api', component: 'api', preservePathPrefix: false },
      { prefix: '/', component: 'web', preservePathPrefix: false },
    ]);
    expect(result.warnings).toEqual([
      { path: 'ingress.rules[0].cors', message: expect.stringMatching(/does not add CORS headers.*Ignored\./) },
      { path: 'ingress.rules[0].colour', message: expect.stringMatching(/unknown field/) },
      { path: 'ingress.rules[0].match.authority', message: expect.stringMatching(/routes by path alone.*Ignored\./) },
      {
        path: 'ingress.rules[0].component.rewrite',
        message: expect.stringMatching(/does not rewrite paths.*Ignored\./),
      },
      {
        path: 'ingress.rules[1].redirect',
        message: expect.stringMatching(/^\/old: Slipway does not redirect yet; .*Ignored\./),
      },
    ]);
  });

  it("warn about unknown fields of the ingress and of a rule's path", () => {
    const result = withRules('- { component: { name: web }, match: { path: { prefix: /, exact: /x } } }');
    expect(result.warnings).toEqual([
      { path: 'ingress.rules[0].match.path.exact', message: expect.stringMatching(/unknown field/) },
    ]);
    const top = loadAppSpec(`${COMPONENTS}ingress: { rulez: [] }`);
    expect(top.warnings).toEqual([{ path: 'ingress.rulez', message: expect.stringMatching(/Did you mean `rules`/) }]);
  });

  it("warn that ingress decides over a component's routes, which may then clash", () => {
    const result = loadAppSpec(`
name: shop
services: [{ name: web, routes: [{ path: / }] }, { name: api, routes: [{ path: / }] }]
static_sites: [{ name: docs, routes: [{ path: /docs }] }]
ingress: { rules: [{ component: { name: web } }] }
`);
    expect(result.errors).toEqual([]);
    const decides = expect.stringMatching(/ingress rules, and they alone decide.*Ignored\./);
    expect(result.warnings).toEqual([
      { path: 'services[0].routes', message: decides },
      { path: 'services[1].routes', message: decides },
      { path: 'static_sites[0].routes', message: decides },
    ]);
  });

  it("leave out, with a warning, a rule to a function, so that the components' routes still count", () => {
    const result = loadAppSpec(`
name: shop
services: [{ name: web, routes: [{ path: /shop }] }]
functions: [{ name: fn }]
ingress: { rules: [{ component: { name: fn }, match: { path: { prefix: /fn } } }] }
`);
    expect(result.errors).toEqual([]);
    expect(result.spec?.ingress).toEqual([]);
    expect(result.warnings).toEqual([
      { path: 'functions', message: expect.stringMatching(/Functions/) },
      { path: 'ingress.rules[0].component.name', message: expect.stringMatching(/fn is a function.*Ignored\./) },
    ]);
  });
});
