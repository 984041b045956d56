import { describe, expect, it } from 'vitest';
import { registryFromField } from './image-registry';
import { loadAppSpec } from './load-spec';
import { usableName } from './usable-name';

describe('usableName', () => {
  it('makes the names DigitalOcean users write into names Slipway can use', () => {
    expect(usableName('HD117')).toBe('hd117');
    expect(usableName('bakey.us')).toBe('bakey-us');
    expect(usableName('SkyHelperAPI')).toBe('skyhelperapi');
    expect(usableName('My Web_App')).toBe('my-web-app');
    expect(usableName('Café')).toBe('cafe');
    expect(usableName('x'.repeat(40))).toBe('x'.repeat(32));
  });

  it('keeps a valid name, a digit first included', () => {
    expect(usableName('216labs')).toBe('216labs');
    expect(usableName('web')).toBe('web');
  });

  it('refuses what is not a style of writing a name: shell characters, paths, numbers', () => {
    for (const name of ['a;rm -rf /', '$(x)', '../etc', '`id`', '123', '0x1f', 'a', '...']) {
      expect(usableName(name), name).toBeNull();
    }
  });
});

describe('forgiving specs', () => {
  it('renames the app and its components with a warning naming both, and follows references', () => {
    const result = loadAppSpec(
      'name: HD117\nservices:\n  - name: SkyHelperAPI\n  - name: web\n    envs:\n      - key: API\n        value: ${SkyHelperAPI.PRIVATE_URL}\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.spec?.name).toBe('hd117');
    expect(result.spec?.components.map((c) => c.name)).toEqual(['skyhelperapi', 'web']);
    expect(result.warnings).toContainEqual({ path: 'name', message: expect.stringMatching(/"HD117".*hd117/) });
    expect(result.warnings).toContainEqual({
      path: 'services[0].name',
      message: expect.stringMatching(/"SkyHelperAPI".*skyhelperapi/),
    });
    expect(result.spec?.components[1]?.envs[0]?.value).toBe('http://skyhelperapi:8080');
  });

  it('reports two names that become the same as a duplicate', () => {
    const result = loadAppSpec('name: shop\nservices:\n  - name: Web\n  - name: web\n');
    expect(result.errors.map((e) => e.path)).toEqual(['services[1].name']);
  });

  it('accepts a buildpack component: environment_slug and build_command, no dockerfile_path', () => {
    const result = loadAppSpec(
      'name: shop\nservices:\n  - name: web\n    environment_slug: node-js\n    build_command: npm run build\n    run_command: npm start\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.spec?.components[0]).toMatchObject({
      dockerfileGiven: false,
      dockerfilePath: 'Dockerfile',
      environmentSlug: 'node-js',
      buildCommand: 'npm run build',
      runCommand: 'npm start',
    });
  });

  it('warns that build_command is ignored next to a dockerfile_path', () => {
    const result = loadAppSpec(
      'name: shop\nservices:\n  - name: web\n    dockerfile_path: Dockerfile\n    build_command: make\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.spec?.components[0]).toMatchObject({ dockerfileGiven: true });
    expect(result.warnings).toEqual([
      { path: 'services[0].build_command', message: expect.stringContaining('Ignored') },
    ]);
  });

  it('keeps instance_count 0 with a warning, on services and jobs', () => {
    const result = loadAppSpec(
      'name: shop\nservices:\n  - name: web\n    instance_count: 0\njobs:\n  - name: seed\n    instance_count: 0\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.spec?.components.map((c) => c.instanceCount)).toEqual([0, 0]);
    expect(result.warnings.map((w) => w.path)).toEqual(['services[0].instance_count', 'jobs[0].instance_count']);
    expect(result.warnings[1]?.message).toMatch(/does not start it \(the job never runs\)/);
  });

  it('infers registry_type from the registry, with a warning', () => {
    const result = loadAppSpec(
      'name: shop\nservices:\n  - name: web\n    image:\n      registry: registry.digitalocean.com/acme\n      repository: web\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.spec?.components[0]?.source).toMatchObject({ registryType: 'DOCR', registry: 'acme' });
    expect(result.warnings).toContainEqual({
      path: 'services[0].image.registry_type',
      message: expect.stringMatching(/not set.*DOCR/),
    });
  });

  it('tells the registry type from what registry holds', () => {
    expect(registryFromField('ghcr.io/acme')).toEqual({ type: 'GHCR', owner: 'acme' });
    expect(registryFromField('ghcr.io')).toEqual({ type: 'GHCR', owner: 'ghcr.io' });
    expect(registryFromField('docker.io/acme')).toEqual({ type: 'DOCKER_HUB', owner: 'acme' });
    expect(registryFromField('acme')).toEqual({ type: 'DOCKER_HUB', owner: 'acme' });
    expect(registryFromField(null)).toEqual({ type: 'DOCKER_HUB', owner: null });
    expect(registryFromField('quay.io/acme')).toBeNull();
  });

  it('refuses an image on a registry it cannot name the type of', () => {
    const result = loadAppSpec(
      'name: shop\nservices:\n  - name: web\n    image:\n      registry: quay.io/acme\n      repository: web\n',
    );
    expect(result.errors.map((e) => e.path)).toContain('services[0].image.registry_type');
  });

  it('loads static sites after services, served on 8080 with their documents', () => {
    const result = loadAppSpec(
      [
        'name: shop',
        'services:',
        '  - name: api',
        '    routes: [{path: /api}]',
        'static_sites:',
        '  - name: site',
        '    build_command: ./build.sh',
        '    output_dir: /out',
        '    catchall_document: index.html',
        '    routes: [{path: /}]',
        '    http_port: 9000',
        'workers:',
        '  - name: mailer',
      ].join('\n'),
    );
    expect(result.errors).toEqual([]);
    expect(result.spec?.components.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'service:api',
      'static_site:site',
      'worker:mailer',
    ]);
    expect(result.spec?.components[1]).toMatchObject({
      httpPort: 8080,
      instanceCount: 1,
      buildCommand: './build.sh',
      healthCheck: { httpPath: '/' },
      routes: [{ path: '/', preservePathPrefix: false }],
      staticSite: {
        outputDir: 'out',
        indexDocument: 'index.html',
        errorDocument: null,
        catchallDocument: 'index.html',
      },
    });
    expect(result.warnings).toEqual([
      { path: 'static_sites[0].http_port', message: expect.stringContaining('Ignored') },
    ]);
  });

  it('warns that error_document is never served next to a catchall_document', () => {
    const result = loadAppSpec(
      'name: shop\nstatic_sites:\n  - name: site\n    error_document: 404.html\n    catchall_document: index.html\n',
    );
    expect(result.spec?.components[0]?.staticSite).toMatchObject({ errorDocument: null });
    expect(result.warnings.map((w) => w.path)).toEqual(['static_sites[0].error_document']);
  });

  it('warns that a RUN_TIME env of a static site never reaches it, and passes BUILD_TIME ones to its build', () => {
    const result = loadAppSpec(
      [
        'name: shop',
        'static_sites:',
        '  - name: site',
        '    envs:',
        '      - {key: API_URL, value: https://api.example.test, scope: RUN_TIME}',
        '      - {key: BASE, value: /docs, scope: BUILD_TIME}',
        '',
      ].join('\n'),
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        path: 'static_sites[0].envs[0]',
        message: expect.stringContaining('API_URL is RUN_TIME, but a static site only has a build'),
      },
    ]);
    expect(result.spec?.components[0]?.envs.map((e) => e.key)).toEqual(['API_URL', 'BASE']);
  });

  it('still refuses a spec of functions only', () => {
    const result = loadAppSpec('name: shop\nfunctions:\n  - name: fn\n');
    expect(result.errors).toEqual([
      { path: 'services', message: expect.stringMatching(/nothing for Slipway to deploy/) },
    ]);
    expect(result.warnings).toContainEqual({ path: 'functions', message: expect.stringContaining('Functions (fn)') });
  });
});
