/*
 * Every real-world DigitalOcean app spec in the project's corpus (test/fixtures/do-specs, copied with their attribution in SOURCES.tsv), with what Slipway must make of it, written from
 * reading each file. A corpus file without an entry here fails the suite: add one when you add a file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppSpec, ComponentSpec, SpecLoadResult } from '../../src/shared/spec/app-spec';
import { loadAppSpec } from '../../src/shared/spec/load-spec';
import { appPathRoutes } from '../../src/shared/spec/path-routes';

const CORPUS = path.resolve(__dirname, '../fixtures/do-specs');

interface Expected {
  /** `kind:name` of every component, in order, when the spec is deployable; null when it is not. */
  components: string[] | null;
  /** Every error, by path, with a fragment of its message. */
  errors: Record<string, RegExp>;
  /** Key warnings, by path, with a fragment of their message (others may exist). */
  warnings: Record<string, RegExp>;
  /** `ENGINE:name:version` of every database Slipway runs with the app, in order (none when absent). */
  databases?: string[];
  /** Further checks of the loaded spec. */
  check?: (spec: AppSpec) => void;
}

const NO_VALUE = /has no value/;
const DEPLOY_ON_PUSH = /deploys when you ask/;
const NOTHING = /nothing for Slipway to deploy/;

function component(spec: AppSpec, name: string): ComponentSpec {
  const found = spec.components.find((c) => c.name === name);
  if (!found) throw new Error(`no component ${name}`);
  return found;
}

function env(spec: AppSpec, name: string, key: string): string | undefined {
  return component(spec, name).envs.find((e) => e.key === key)?.value;
}

const EXPECTED: Record<string, Expected> = {
  '0xc14m1z__nelson__app.yaml': {
    components: ['service:backend', 'service:frontend'],
    databases: ['PG:db:16'],
    errors: {},
    warnings: {
      region: /region/,
      alerts: /alerts/,
      'services[0].instance_size_slug': /does not size containers/,
      'services[0].github.deploy_on_push': DEPLOY_ON_PUSH,
    },
    check(spec) {
      const backend = component(spec, 'backend');
      expect(backend.source).toEqual({ type: 'git', url: 'https://github.com/0xc14m1z/nelson.git', branch: 'main' });
      expect(backend).toMatchObject({ sourceDir: '', dockerfilePath: 'backend/Dockerfile', httpPort: 8000 });
      expect(backend.healthCheck).toMatchObject({ httpPath: '/health', initialDelaySeconds: 15, failureThreshold: 9 });
      expect(backend.routes).toEqual([
        { path: '/api', preservePathPrefix: true },
        { path: '/health', preservePathPrefix: false },
      ]);
      expect(env(spec, 'backend', 'DATABASE_URL')).toBe('${db.DATABASE_URL}');
      expect(env(spec, 'frontend', 'BACKEND_URL')).toBe('http://backend:8000');
      expect(env(spec, 'backend', 'CORS_ORIGINS')).toBe('["https://yourdomain.com"]');
    },
  },
  '0xksure__solana-narrative-radar__app.yaml': {
    components: ['service:api'],
    errors: {},
    warnings: {
      'services[0].image.registry_type': /docker login registry\.digitalocean\.com/,
      'services[0].image.deploy_on_push': DEPLOY_ON_PUSH,
      'services[0].envs[0].value': NO_VALUE,
      'services[0].envs[1].value': NO_VALUE,
    },
    check(spec) {
      expect(component(spec, 'api').source).toEqual({
        type: 'image',
        registryType: 'DOCR',
        registry: 'ai-trainer',
        repository: 'narrative-radar',
        tag: 'latest',
        digest: null,
      });
      expect(component(spec, 'api').envs).toContainEqual({
        key: 'GITHUB_TOKEN',
        value: '',
        scope: 'RUN_TIME',
        type: 'SECRET',
      });
    },
  },
  '0xsven__doap-test-mono__app.yaml': {
    components: ['service:webapp', 'service:api'],
    errors: {},
    warnings: { 'services[0].github.deploy_on_push': DEPLOY_ON_PUSH },
    check(spec) {
      expect(component(spec, 'webapp')).toMatchObject({
        dockerfileGiven: false,
        environmentSlug: 'node-js',
        buildCommand: 'npm run build',
        runCommand: 'npm run start',
        sourceDir: 'webapp',
      });
    },
  },
  '182slash__PotuPartners-2.0__app.yaml': {
    components: ['service:api', 'service:rag'],
    databases: ['PG:db:16'],
    errors: {},
    warnings: {
      region: /region/,
      'services[0].volumes': /unknown field/,
      'services[0].envs[4].value': NO_VALUE,
      'services[1].envs[0].value': NO_VALUE,
    },
    check(spec) {
      expect(component(spec, 'api')).toMatchObject({
        source: { type: 'git', url: 'https://github.com/YOUR_GITHUB_USERNAME/PotuPartners.git', branch: 'main' },
        sourceDir: 'backend',
        dockerfilePath: 'backend/Dockerfile',
        runCommand: 'node dist/index.js',
        httpPort: 4000,
      });
      expect(component(spec, 'api').healthCheck).toEqual({
        httpPath: '/health',
        port: null,
        initialDelaySeconds: 30,
        periodSeconds: 30,
        timeoutSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      });
      expect(env(spec, 'api', 'PORT')).toBe('4000');
      expect(env(spec, 'api', 'RAG_SERVICE_URL')).toBe('http://rag:8000');
    },
  },
  '1fpga__catalog.1fpga.cloud__app.yaml': {
    components: ['static_site:catalog-1fpga-cloud'],
    errors: {},
    warnings: {
      'domains[0].zone': /does not manage DNS zones/,
      features: /feature flags/,
      alerts: /alerts/,
      region: /region/,
    },
    check(spec) {
      expect(spec.ingress).toEqual([{ prefix: '/', component: 'catalog-1fpga-cloud', preservePathPrefix: false }]);
      expect(spec.components[0]).toMatchObject({
        environmentSlug: 'html',
        buildCommand: 'npm install && npm run build',
        httpPort: 8080,
        instanceCount: 1,
        staticSite: { outputDir: 'dist', indexDocument: 'index.html', errorDocument: null, catchallDocument: null },
      });
    },
  },
  'A-Archives-and-Forks__wikijump__app.yaml': {
    components: ['service:framerail', 'service:caddy', 'service:wws', 'service:deepwell'],
    databases: ['PG:database:16', 'REDIS:cache:7'],
    errors: {},
    warnings: {
      'domains[0].zone': /wikijump.dev: Slipway does not manage DNS zones/,
      'domains[1].zone': /scpwiki.dev: Slipway does not manage DNS zones/,
      'services[2].envs[7].value': /S3_ACCESS_KEY_ID holds a value encrypted by DigitalOcean.*set the value again/,
      'services[2].envs[8].value': /encrypted by DigitalOcean/,
      'services[3].envs[6].value': /encrypted by DigitalOcean/,
      'services[3].http_port': /internal_ports/,
    },
    check(spec) {
      expect(spec.components.every((c) => c.source.type === 'git' && c.source.branch === 'develop')).toBe(true);
      expect(component(spec, 'framerail').healthCheck).toMatchObject({ httpPath: null, initialDelaySeconds: 3 });
      expect(env(spec, 'framerail', 'DEEPWELL_HOST')).toBe('deepwell');
      expect(env(spec, 'wws', 'DEEPWELL_URL')).toBe('http://deepwell:8080');
      expect(env(spec, 'wws', 'S3_ACCESS_KEY_ID')).toBe('');
      expect(component(spec, 'deepwell').internalPorts).toEqual([2747]);
    },
  },
  'AFixt__livechat__app.yaml': {
    components: ['service:api', 'static_site:ui', 'static_site:widget', 'job:migrate', 'job:seed-first-tenant'],
    databases: ['MYSQL:db:8', 'REDIS:redis:7'],
    errors: {},
    warnings: {
      'static_sites[1].domains': /does not manage domains/,
      'jobs[1].instance_count': /does not start it/,
    },
    check(spec) {
      expect(spec.domains).toEqual([
        { domain: 'api.livechat.afixt.com', type: 'ALIAS' },
        { domain: 'console.livechat.afixt.com', type: 'PRIMARY' },
      ]);
      expect(component(spec, 'ui')).toMatchObject({
        dockerfileGiven: true,
        dockerfilePath: 'ui/Dockerfile',
        staticSite: { outputDir: 'usr/share/nginx/html', catchallDocument: 'index.html' },
      });
      expect(component(spec, 'seed-first-tenant').instanceCount).toBe(0);
    },
  },
  'AGIOS-UPDATED__midday-test__app.yaml': {
    components: null,
    errors: { 'services[0].git.repo_clone_url': /must be a git URL.*not expanded/ },
    warnings: { 'services[0].instance_size_slug': /does not size containers/ },
  },
  'AInvirion__website__app.yaml': {
    components: ['service:web'],
    errors: {},
    warnings: {
      'services[0].env': /called `envs`/,
      'services[0].env[1].value': /\$\{SUPABASE_URL\} is not a variable Slipway provides/,
    },
    check(spec) {
      expect(component(spec, 'web')).toMatchObject({ environmentSlug: 'node-js', buildCommand: 'npm run build' });
    },
  },
  'AMCarbonaro__RevNet__app.yaml': {
    components: ['service:revnet3-backend', 'service:revnet3-frontend'],
    databases: ['MONGODB:revnet3-db:5'],
    errors: {},
    warnings: { 'services[0].envs[2].value': /\$\{MONGODB_URI\} is not a variable/ },
    check(spec) {
      expect(component(spec, 'revnet3-backend')).toMatchObject({
        sourceDir: 'backend',
        httpPort: 3000,
        buildCommand: null,
      });
    },
  },
  'APTRS__APTRS__deploy.template.yaml': {
    components: ['service:aptrs'],
    errors: {},
    warnings: {},
    check(spec) {
      expect(spec.components[0]).toMatchObject({
        source: { type: 'git', url: 'https://github.com/APTRS/APTRS.git', branch: 'API' },
        sourceDir: '',
        dockerfilePath: 'Dockerfile',
        httpPort: 8080,
        instanceCount: 1,
      });
    },
  },
  'AbuMarketing__SuperAGI__deploy.template.yaml': {
    components: [
      'service:superagi-redis',
      'service:superagi-backend',
      'service:superagi-gui',
      'worker:superagi-celery',
    ],
    databases: ['PG:super-agi-main:15'],
    errors: {},
    warnings: {
      alerts: /alerts/,
      'services[0].http_port': /internal_ports/,
    },
    check(spec) {
      expect(appPathRoutes(spec)).toEqual([
        { prefix: '/api', component: 'superagi-backend', preservePathPrefix: false },
      ]);
      expect(component(spec, 'superagi-redis')).toMatchObject({
        dockerfilePath: 'DockerfileRedis',
        internalPorts: [6379],
      });
      expect(component(spec, 'superagi-gui')).toMatchObject({ sourceDir: 'gui', dockerfilePath: 'gui/DockerfileProd' });
      expect(component(spec, 'superagi-celery')).toMatchObject({ httpPort: null, healthCheck: null });
      expect(env(spec, 'superagi-backend', 'REDIS_URL')).toBe('superagi-redis:6379');
    },
  },
  'AceCentre__crm-functions__deploy.template.yaml': {
    components: null,
    errors: { services: NOTHING },
    warnings: { functions: /Functions \(crm-functions\)/, alerts: /alerts/ },
  },
  'AlphaInsider__trading_bot__deploy.template.yaml': {
    components: ['service:web'],
    databases: ['PG:database:17'],
    errors: {},
    warnings: {
      'envs[0].value': /USER_PASSWORD has no value/,
    },
  },
  'AppPlatform-Templates__pocketbase-appplatform__deploy.template.yaml': {
    components: ['service:pocketbase'],
    errors: {},
    warnings: { 'services[0].github.deploy_on_push': DEPLOY_ON_PUSH },
    check(spec) {
      expect(spec.components[0]).toMatchObject({
        source: { type: 'git', url: 'https://github.com/AppPlatform-Templates/pocketbase-appplatform.git' },
        dockerfilePath: 'Dockerfile',
        httpPort: 8080,
        routes: [{ path: '/', preservePathPrefix: false }],
      });
    },
  },
  'AppPlatform-Templates__supabase-appplatform__deploy.template.yaml': {
    components: ['service:studio', 'service:rest', 'service:meta'],
    databases: ['PG:supabase-db:17'],
    errors: {},
    warnings: {
      'ingress.rules[0].component.rewrite': /does not rewrite paths/,
      'services[0].envs[9].value': /does not provide \$\{_self\.COMMIT_HASH\}/,
    },
    check(spec) {
      expect(appPathRoutes(spec)).toEqual([
        { prefix: '/rest/v1', component: 'rest', preservePathPrefix: false },
        { prefix: '/', component: 'studio', preservePathPrefix: false },
      ]);
      expect(component(spec, 'studio').source).toEqual({
        type: 'image',
        registryType: 'DOCKER_HUB',
        registry: 'supabase',
        repository: 'studio',
        tag: 'latest',
        digest: null,
      });
      expect(component(spec, 'rest').source).toMatchObject({ repository: 'postgrest', tag: 'v12.2.3' });
      expect(component(spec, 'studio')).toMatchObject({ sourceDir: '', dockerfilePath: '' });
      expect(env(spec, 'studio', 'SUPABASE_URL')).toBe('${APP_URL}');
      expect(component(spec, 'meta')).toMatchObject({ httpPort: 8080, internalPorts: [8080] });
    },
  },
  'ArchiveBox__ArchiveBox__deploy.template.yaml': {
    components: ['service:archivebox'],
    errors: {},
    warnings: {},
    check(spec) {
      const archivebox = component(spec, 'archivebox');
      expect(archivebox).toMatchObject({ sourceDir: '', dockerfilePath: 'Dockerfile', httpPort: 8000 });
      expect(archivebox.healthCheck).toMatchObject({ httpPath: '/admin/login/', timeoutSeconds: 1 });
      expect(archivebox.envs).toHaveLength(10);
      expect(env(spec, 'archivebox', 'MEDIA_MAX_SIZE')).toBe('750m');
    },
  },
  'AureumVictoria__unCodedTradingBotDigitalOcean__deploy.template.yaml': {
    components: ['worker:trading-bot', 'worker:telegram-bot'],
    databases: ['PG:db:16'],
    errors: {},
    warnings: {
      'workers[0].envs[6].value': /API_KEY has no value/,
      'workers[1].envs[6].value': /TELEGRAM_TOKEN has no value/,
    },
    check(spec) {
      expect(component(spec, 'trading-bot').source).toMatchObject({
        registry: 'aureumvictoria',
        repository: 'uncoded-trading-bot',
        tag: '2025.09.09',
      });
    },
  },
  'Bak3y__bakey-us-hugo__deploy.template.yaml': {
    components: ['static_site:bakey-us'],
    errors: {},
    warnings: {
      name: /"bakey\.us" is not a name Slipway can use.*deployed as bakey-us/,
      'static_sites[0].name': /"bakey\.us".*deployed as bakey-us/,
    },
    check(spec) {
      expect(spec.name).toBe('bakey-us');
      expect(spec.components[0]).toMatchObject({ environmentSlug: 'hugo', staticSite: { outputDir: null } });
    },
  },
  'Bereyziat-Development__fastapi-template__deploy.template.yaml': {
    // Its env binds a database the spec never declares: DigitalOcean refuses it too.
    components: null,
    errors: {
      'services[0].envs[3].value':
        /\$\{example-db\.DATABASE_URL\} refers to example-db, which the spec does not declare/,
    },
    warnings: {
      'services[0].envs[1].value': /EMAIL has no value/,
    },
    check(spec) {
      expect(spec.components[0]?.envs).toContainEqual({
        key: 'DB_FOO_1',
        value: 'DB-password-testvalue',
        scope: 'RUN_AND_BUILD_TIME',
        type: 'SECRET',
      });
    },
  },
  'Bergmann89__moltis__deploy.template.yaml': {
    components: ['service:moltis'],
    errors: {},
    warnings: { 'services[0].instance_size_slug': /does not size containers/ },
    check(spec) {
      expect(component(spec, 'moltis')).toMatchObject({
        source: {
          type: 'image',
          registryType: 'GHCR',
          registry: 'ghcr.io',
          repository: 'moltis-org/moltis',
          tag: '20260913.02',
        },
        runCommand: 'moltis --bind 0.0.0.0 --port 8080 --no-tls',
      });
      expect(env(spec, 'moltis', 'MOLTIS_WEBAUTHN_RP_ID')).toBe('${APP_DOMAIN}');
    },
  },
  'BlackDoggzz__unleash__deploy.template.yaml': {
    components: ['service:unleash-server'],
    databases: ['PG:unleash-db:17'],
    errors: {},
    warnings: {},
    check(spec) {
      expect(component(spec, 'unleash-server')).toMatchObject({ buildCommand: 'yarn build', environmentSlug: null });
    },
  },
};

const files = readdirSync(CORPUS)
  .filter((file) => file.endsWith('.yaml'))
  .sort();

function load(file: string): SpecLoadResult {
  return loadAppSpec(readFileSync(path.join(CORPUS, file), 'utf8'), { fileName: file });
}

describe('the DigitalOcean spec corpus', () => {
  it('has an expected outcome for every file, and a file for every expected outcome', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  it.each(files)('loads %s without throwing, naming a field in every problem', (file) => {
    const result = load(file);
    for (const problem of [...result.errors, ...result.warnings]) {
      expect(problem.path.trim()).not.toBe('');
      expect(problem.message.trim()).not.toBe('');
    }
  });

  it.each(files)('gives %s the expected outcome', (file) => {
    const expected = EXPECTED[file];
    if (!expected) throw new Error(`no expected outcome for ${file}: add one to EXPECTED`);
    const result = load(file);

    expect(result.errors.map((e) => e.path).sort()).toEqual(Object.keys(expected.errors).sort());
    for (const [errorPath, message] of Object.entries(expected.errors)) {
      expect(result.errors.filter((e) => e.path === errorPath).map((e) => e.message)).toContainEqual(
        expect.stringMatching(message),
      );
    }
    for (const [warningPath, message] of Object.entries(expected.warnings)) {
      const messages = result.warnings.filter((w) => w.path === warningPath).map((w) => w.message);
      expect(messages, `warnings were ${JSON.stringify(result.warnings, null, 1)}`).toContainEqual(
        expect.stringMatching(message),
      );
    }

    if (expected.components === null) {
      expect(result.spec).toBeNull();
      return;
    }
    expect(result.spec).not.toBeNull();
    const spec = result.spec as AppSpec;
    expect(spec.components.map((c) => `${c.kind}:${c.name}`)).toEqual(expected.components);
    expect(spec.databases.map((d) => `${d.engine}:${d.name}:${d.version}`)).toEqual(expected.databases ?? []);
    expected.check?.(spec);
  });
});
