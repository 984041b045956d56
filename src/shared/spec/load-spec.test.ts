import { describe, expect, it } from 'vitest';
import type { ComponentSpec } from './app-spec';
import { loadAppSpec, DEFAULT_HEALTH_CHECK } from './load-spec';
import { MAX_COMPONENTS, MAX_ENVS } from './spec-schema';

const FULL = `
name: shop
envs:
  - key: SHARED
    value: from-app
  - key: MODE
    value: app
    scope: RUN_AND_BUILD_TIME
services:
  - name: web
    github:
      repo: acme/shop
      branch: main
    source_dir: /frontend
    http_port: 3000
    internal_ports: [9090, 9090]
    instance_count: 2
    run_command: npm start
    health_check:
      http_path: /healthz
      initial_delay_seconds: 5
    routes:
      - path: /
    envs:
      - key: API
        value: \${api.PRIVATE_URL}
        scope: BUILD_TIME
      - key: MODE
        value: web
        scope: RUN_TIME
      - key: PUBLIC
        value: \${APP_URL}
  - name: api
    git:
      repo_clone_url: https://git.example.com/acme/shop.git
    dockerfile_path: api/Dockerfile.prod
    source_dir: api
    routes:
      - path: /api
        preserve_path_prefix: true
    envs:
      - key: PORT
        value: 8080
      - key: DEBUG
        value: false
      - key: TOKEN
        value: s3cret
        type: SECRET
        scope: RUN_TIME
workers:
  - name: mailer
    image:
      registry_type: DOCKER_HUB
      registry: acme
      repository: mailer
      tag: 1.20
jobs:
  - name: migrate
    kind: PRE_DEPLOY
    dockerfile_path: Dockerfile
    run_command: ./migrate
  - name: report
`;

function component(name: string): ComponentSpec {
  const result = loadAppSpec(FULL);
  expect(result.errors).toEqual([]);
  const found = result.spec?.components.find((c) => c.name === name);
  if (!found) throw new Error(`no component ${name}`);
  return found;
}

describe('loadAppSpec on a spec Slipway can deploy', () => {
  it('loads every component in order, without warnings', () => {
    const result = loadAppSpec(FULL, { fileName: 'app.yaml' });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.spec?.name).toBe('shop');
    expect(result.spec?.components.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'service:web',
      'service:api',
      'worker:mailer',
      'job:migrate',
      'job:report',
    ]);
  });

  it('normalises a GitHub service', () => {
    expect(component('web')).toEqual({
      kind: 'service',
      name: 'web',
      source: { type: 'git', url: 'https://github.com/acme/shop.git', branch: 'main' },
      sourceDir: 'frontend',
      dockerfilePath: 'frontend/Dockerfile',
      dockerfileGiven: false,
      environmentSlug: null,
      buildCommand: null,
      runCommand: 'npm start',
      envs: [
        { key: 'SHARED', value: 'from-app', scope: 'RUN_AND_BUILD_TIME', type: 'GENERAL' },
        { key: 'MODE', value: 'app', scope: 'BUILD_TIME', type: 'GENERAL' },
        { key: 'API', value: 'http://api:8080', scope: 'BUILD_TIME', type: 'GENERAL' },
        { key: 'MODE', value: 'web', scope: 'RUN_TIME', type: 'GENERAL' },
        { key: 'PUBLIC', value: '${APP_URL}', scope: 'RUN_AND_BUILD_TIME', type: 'GENERAL' },
      ],
      instanceCount: 2,
      httpPort: 3000,
      internalPorts: [9090],
      healthCheck: {
        httpPath: '/healthz',
        port: null,
        initialDelaySeconds: 5,
        periodSeconds: 10,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 9,
      },
      routes: [{ path: '/', preservePathPrefix: false }],
      jobKind: null,
      staticSite: null,
    });
  });

  it('fills in DigitalOcean defaults and writes numbers and booleans as text', () => {
    const api = component('api');
    expect(api.source).toEqual({ type: 'git', url: 'https://git.example.com/acme/shop.git', branch: null });
    expect(api.dockerfilePath).toBe('api/Dockerfile.prod');
    expect(api.httpPort).toBe(8080);
    expect(api.internalPorts).toEqual([]);
    expect(api.instanceCount).toBe(1);
    expect(api.runCommand).toBeNull();
    // No health_check in the spec: the engine chooses (the image's HEALTHCHECK, else DEFAULT_HEALTH_CHECK).
    expect(api.healthCheck).toBeNull();
    expect(DEFAULT_HEALTH_CHECK).toEqual({
      httpPath: null,
      port: null,
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 9,
    });
    expect(api.routes).toEqual([{ path: '/api', preservePathPrefix: true }]);
    expect(api.envs.filter((e) => ['PORT', 'DEBUG', 'TOKEN'].includes(e.key))).toEqual([
      { key: 'PORT', value: '8080', scope: 'RUN_AND_BUILD_TIME', type: 'GENERAL' },
      { key: 'DEBUG', value: 'false', scope: 'RUN_AND_BUILD_TIME', type: 'GENERAL' },
      { key: 'TOKEN', value: 's3cret', scope: 'RUN_TIME', type: 'SECRET' },
    ]);
  });

  it('reads an image worker, keeping the tag as written', () => {
    const mailer = component('mailer');
    expect(mailer.source).toEqual({
      type: 'image',
      registryType: 'DOCKER_HUB',
      registry: 'acme',
      repository: 'mailer',
      tag: '1.20',
      digest: null,
    });
    expect(mailer.httpPort).toBeNull();
    expect(mailer.healthCheck).toBeNull();
    expect(mailer.routes).toEqual([]);
    expect(mailer.jobKind).toBeNull();
  });

  it('reads jobs, a job with no kind running after the deployment', () => {
    expect(component('migrate')).toMatchObject({ jobKind: 'PRE_DEPLOY', source: { type: 'local' }, sourceDir: '' });
    expect(component('report')).toMatchObject({ jobKind: 'POST_DEPLOY', dockerfilePath: 'Dockerfile' });
  });

  it('unwraps the spec: form of deploy templates', () => {
    const result = loadAppSpec('spec:\n  name: shop\n  services:\n    - name: web\n');
    expect(result.errors).toEqual([]);
    expect(result.spec?.components[0]).toMatchObject({ name: 'web', source: { type: 'local' }, httpPort: 8080 });
  });

  it('reads env: as envs, with a warning', () => {
    const result = loadAppSpec('name: shop\nservices:\n  - name: web\n    env:\n      - key: A\n        value: b\n');
    expect(result.spec?.components[0]?.envs).toEqual([
      { key: 'A', value: 'b', scope: 'RUN_AND_BUILD_TIME', type: 'GENERAL' },
    ]);
    expect(result.warnings).toEqual([{ path: 'services[0].env', message: expect.stringContaining('envs') }]);
  });

  it('honours the deprecated health_check.path, with a warning', () => {
    const result = loadAppSpec('name: shop\nservices:\n  - name: web\n    health_check:\n      path: /up\n');
    expect(result.spec?.components[0]?.healthCheck?.httpPath).toBe('/up');
    expect(result.warnings).toEqual([
      { path: 'services[0].health_check.path', message: expect.stringContaining('http_path') },
    ]);
  });

  it('refuses an app-level env that refers to an undeclared database once, not once per component', () => {
    const result = loadAppSpec(
      'name: shop\nenvs:\n  - key: DB\n    value: ${db.DATABASE_URL}\nservices:\n  - name: aa\n  - name: bb\n',
    );
    expect(result.spec).toBeNull();
    expect(result.errors).toEqual([
      {
        path: 'envs[0].value',
        message: expect.stringContaining('${db.DATABASE_URL} refers to db, which the spec does not declare'),
      },
    ]);
  });

  it('loads databases and keeps their variables for deploy time', () => {
    const result = loadAppSpec(
      [
        'name: shop',
        'databases:',
        '  - {name: db, engine: PG, version: "15", db_name: shop, db_user: shopper}',
        '  - {name: cache, engine: REDIS, version: 7}',
        'services:',
        '  - name: web',
        '    envs:',
        '      - {key: DATABASE_URL, value: "${db.DATABASE_URL}"}',
        '      - {key: REDIS_URL, value: "${cache.REDIS_URL}"}',
        '      - {key: ODD, value: "${db.SOCKET}"}',
        '',
      ].join('\n'),
    );
    expect(result.errors).toEqual([]);
    expect(result.spec?.databases).toEqual([
      { name: 'db', engine: 'PG', version: '15', dbName: 'shop', dbUser: 'shopper' },
      { name: 'cache', engine: 'REDIS', version: '7', dbName: 'cache', dbUser: 'cache' },
    ]);
    expect(result.spec?.components[0]?.envs.map((e) => e.value)).toEqual([
      '${db.DATABASE_URL}',
      '${cache.REDIS_URL}',
      '${db.SOCKET}',
    ]);
    expect(result.warnings).toEqual([
      { path: 'services[0].envs[2].value', message: expect.stringContaining('a database provides HOSTNAME') },
    ]);
  });

  it('names what it cannot run: Kafka, an unknown engine, a clash with a component; warns for a managed cluster', () => {
    const result = loadAppSpec(
      [
        'name: shop',
        'databases:',
        '  - {name: events, engine: KAFKA}',
        '  - {name: db, engine: ORACLE}',
        '  - {name: web, engine: PG}',
        '  - {name: main, engine: PG, production: true, cluster_name: shop-cluster}',
        'services:',
        '  - name: web',
        '',
      ].join('\n'),
    );
    expect(result.errors).toEqual([
      { path: 'databases[0].engine', message: expect.stringContaining('does not run Kafka databases') },
      {
        path: 'databases[1].engine',
        message: expect.stringContaining('must be one of PG, MYSQL, REDIS, VALKEY, MONGODB'),
      },
      { path: 'services[0]', message: expect.stringContaining('web is also the name of a database') },
    ]);
    expect(result.warnings).toContainEqual({
      path: 'databases[3]',
      message: expect.stringContaining('stands for the managed cluster "shop-cluster"'),
    });
  });

  it('suggests the field a typo meant', () => {
    const result = loadAppSpec('name: shop\nservics: []\nservices:\n  - name: web\n    http_prot: 80\n');
    expect(result.warnings).toEqual([
      { path: 'servics', message: expect.stringContaining('`services`') },
      { path: 'services[0].http_prot', message: expect.stringContaining('`http_port`') },
    ]);
    expect(result.spec?.components[0]?.httpPort).toBe(8080);
  });

  it('refuses a file that is not a spec without quoting what it holds', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';
    const asText = loadAppSpec(passwd);
    expect(asText.errors).toEqual([
      { path: '(spec)', message: 'the spec must be a mapping with `name` and `services`, not text' },
    ]);
    const config = loadAppSpec('auths:\n  registry.example: {auth: c2VjcmV0}\ncredsStore: desktop\n');
    expect(config).toEqual({
      spec: null,
      errors: [{ path: '(spec)', message: expect.stringContaining('not an app spec') }],
      warnings: [],
    });
    expect(JSON.stringify(config)).not.toMatch(/auths|credsStore|registry/);
  });

  it('bounds the number of components, and of envs in each list', () => {
    const service = (i: number) => `  - name: web-${i}\n    image: {registry_type: DOCKER_HUB, repository: nginx}\n`;
    const many = loadAppSpec(
      `name: shop\nservices:\n${Array.from({ length: MAX_COMPONENTS + 1 }, (_, i) => service(i)).join('')}`,
    );
    expect(many.errors).toEqual([
      {
        path: 'services',
        message: `the spec has ${MAX_COMPONENTS + 1} components (services, static sites, workers and jobs); Slipway deploys at most ${MAX_COMPONENTS} per app`,
      },
    ]);
    const envs = (n: number) => Array.from({ length: n }, (_, i) => `  - {key: K${i}, value: v}\n`).join('');
    const fine = loadAppSpec(`name: shop\nenvs:\n${envs(MAX_ENVS)}services:\n${service(1)}`);
    expect(fine.errors).toEqual([]);
    const tooMany = loadAppSpec(
      `name: shop\nenvs:\n${envs(MAX_ENVS + 1)}services:\n${service(1)}    envs:\n${envs(MAX_ENVS + 1).replace(/^ {2}/gm, '      ')}`,
    );
    expect(tooMany.errors).toEqual([
      { path: 'envs', message: `has ${MAX_ENVS + 1} entries; Slipway takes at most ${MAX_ENVS} in one list` },
      {
        path: 'services[0].envs',
        message: `has ${MAX_ENVS + 1} entries; Slipway takes at most ${MAX_ENVS} in one list`,
      },
    ]);
  });
});
