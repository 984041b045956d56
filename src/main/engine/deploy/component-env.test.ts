import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppSpec, ComponentSpec, EnvVar } from '../../../shared/spec/app-spec';
import { aesGcmBox } from '../secrets/secret-box';
import { buildArgs, runtimeEnv, secretBuildArgNames, type DeployTimeUrls } from './component-env';

const secrets = aesGcmBox(randomBytes(32));

const env = (key: string, value: string, scope: EnvVar['scope'], type: EnvVar['type'] = 'GENERAL'): EnvVar => ({
  key,
  value,
  scope,
  type,
});

function component(name: string, httpPort: number | null, envs: EnvVar[] = []): ComponentSpec {
  return {
    kind: httpPort === null ? 'worker' : 'service',
    name,
    source: { type: 'local' },
    sourceDir: '',
    dockerfilePath: 'Dockerfile',
    dockerfileGiven: false,
    environmentSlug: null,
    buildCommand: null,
    runCommand: null,
    envs,
    instanceCount: 1,
    httpPort,
    internalPorts: [],
    healthCheck: null,
    routes: [],
    jobKind: null,
    staticSite: null,
  };
}

const noUrls: DeployTimeUrls = { publicUrls: new Map() };
/** A Dockerfile that declares every ARG these tests pass. */
const all = new Set(['BUILD_ONLY', 'BOTH', 'TOKEN', 'A', 'C', 'D', 'API']);

describe('runtimeEnv and buildArgs', () => {
  const web = component('web', 3000, [
    env('RUN_ONLY', 'r', 'RUN_TIME'),
    env('BUILD_ONLY', 'b', 'BUILD_TIME'),
    env('BOTH', 'rb', 'RUN_AND_BUILD_TIME'),
  ]);
  const spec: AppSpec = { name: 'shop', components: [web], databases: [] };

  it('gives the containers the RUN_TIME and RUN_AND_BUILD_TIME envs, in spec order', () => {
    expect(runtimeEnv(spec, web, secrets, noUrls)).toEqual(['RUN_ONLY=r', 'BOTH=rb']);
  });

  it('gives the build the BUILD_TIME and RUN_AND_BUILD_TIME envs', () => {
    expect(buildArgs(spec, web, secrets, noUrls, all)).toEqual({ BUILD_ONLY: 'b', BOTH: 'rb' });
  });

  it('gives nothing to a component without envs', () => {
    const bare = component('bare', 8080);
    expect(runtimeEnv({ name: 'shop', components: [bare], databases: [] }, bare, secrets, noUrls)).toEqual([]);
    expect(buildArgs({ name: 'shop', components: [bare], databases: [] }, bare, secrets, noUrls, all)).toEqual({});
  });

  it('keeps an equals sign or spaces in a value as they are', () => {
    const c = component('web', 3000, [env('DSN', 'a=b c', 'RUN_TIME')]);
    expect(runtimeEnv({ name: 'shop', components: [c], databases: [] }, c, secrets, noUrls)).toEqual(['DSN=a=b c']);
  });
});

describe('build arguments the Dockerfile declares', () => {
  const sealed = secrets.seal('hunter2');
  const web = component('web', 3000, [
    env('GREETING', 'hello', 'BUILD_TIME'),
    env('API_TOKEN', sealed, 'BUILD_TIME', 'SECRET'),
    env('NODE_ENV', 'production', 'RUN_AND_BUILD_TIME'),
    env('DEPLOY_KEY', sealed, 'RUN_AND_BUILD_TIME', 'SECRET'),
    env('RUN_ONLY', 'r', 'RUN_TIME'),
    env('HTTPS_PROXY', 'http://proxy:3128', 'BUILD_TIME'),
    env('no_proxy', 'localhost', 'BUILD_TIME'),
  ]);
  const spec: AppSpec = { name: 'shop', components: [web], databases: [] };

  it('passes only the build-time envs named by an ARG, secrets included only when declared', () => {
    expect(buildArgs(spec, web, secrets, noUrls, new Set(['NODE_ENV', 'DEPLOY_KEY', 'RUN_ONLY']))).toEqual({
      NODE_ENV: 'production',
      DEPLOY_KEY: 'hunter2',
      HTTPS_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
    });
    expect(secretBuildArgNames(web, new Set(['NODE_ENV', 'DEPLOY_KEY']))).toEqual(['DEPLOY_KEY']);
  });

  it("passes no undeclared env but Docker's predefined proxy arguments, which need no ARG", () => {
    expect(buildArgs(spec, web, secrets, noUrls, new Set())).toEqual({
      HTTPS_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
    });
    expect(secretBuildArgNames(web, new Set())).toEqual([]);
  });

  it('matches names exactly, as Docker does', () => {
    expect(buildArgs(spec, web, secrets, noUrls, new Set(['greeting', 'GREETING ']))).not.toHaveProperty('GREETING');
  });
});

describe('secrets', () => {
  const sealed = secrets.seal('hunter2');
  const web = component('web', 3000, [
    env('TOKEN', sealed, 'RUN_AND_BUILD_TIME', 'SECRET'),
    env('RUNTIME_TOKEN', sealed, 'RUN_TIME', 'SECRET'),
    env('PLAIN_SECRET', 'not-sealed', 'RUN_TIME', 'SECRET'),
    env('LOOKS_SEALED', sealed, 'RUN_TIME', 'GENERAL'),
  ]);
  const spec: AppSpec = { name: 'shop', components: [web], databases: [] };

  it('opens sealed secret values for the containers and the build', () => {
    const lines = runtimeEnv(spec, web, secrets, noUrls);
    expect(lines).toContain('TOKEN=hunter2');
    expect(lines).toContain('RUNTIME_TOKEN=hunter2');
    expect(buildArgs(spec, web, secrets, noUrls, all)).toEqual({ TOKEN: 'hunter2' });
  });

  it('passes a secret that is not sealed as it is, and never opens a GENERAL value', () => {
    const lines = runtimeEnv(spec, web, secrets, noUrls);
    expect(lines).toContain('PLAIN_SECRET=not-sealed');
    expect(lines).toContain(`LOOKS_SEALED=${sealed}`);
  });

  it('names the secrets passed at build time only', () => {
    const c = component('web', 3000, [
      env('A', sealed, 'BUILD_TIME', 'SECRET'),
      env('B', sealed, 'RUN_TIME', 'SECRET'),
      env('C', sealed, 'RUN_AND_BUILD_TIME', 'SECRET'),
      env('D', 'x', 'BUILD_TIME'),
    ]);
    expect(secretBuildArgNames(c, all)).toEqual(['A', 'C']);
  });
});

describe('bindable variables', () => {
  const web = component('web', 3000, [
    env('SELF', '${_self.NAME}@${APP_NAME}', 'RUN_TIME'),
    env('API', '${api.PRIVATE_URL}/v1', 'RUN_AND_BUILD_TIME'),
    env('PUBLIC', '${APP_URL} ${APP_DOMAIN} ${_self.URL} ${api.PUBLIC_URL}', 'RUN_TIME'),
    env('UNKNOWN', '${nope.PRIVATE_URL} ${SOMETHING}', 'RUN_TIME'),
    env('WORKER', '${jobs.PRIVATE_URL}', 'RUN_TIME'),
  ]);
  const api = component('api', 8000);
  const jobs = component('jobs', null);
  const spec: AppSpec = { name: 'shop', components: [web, api, jobs], databases: [] };
  const urls: DeployTimeUrls = {
    appUrl: 'http://127.0.0.1:41000',
    publicUrls: new Map([
      ['web', 'http://127.0.0.1:41000'],
      ['api', 'http://127.0.0.1:41001'],
    ]),
  };
  const value = (lines: string[], key: string) => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);

  it('resolves the app, the component itself and the other components', () => {
    const lines = runtimeEnv(spec, web, secrets, urls);
    expect(value(lines, 'SELF')).toBe('web@shop');
    expect(value(lines, 'API')).toBe('http://api:8000/v1');
    expect(buildArgs(spec, web, secrets, urls, all)).toEqual({ API: 'http://api:8000/v1' });
  });

  it('resolves the public URLs known at deploy time, APP_DOMAIN from the app URL', () => {
    expect(value(runtimeEnv(spec, web, secrets, urls), 'PUBLIC')).toBe(
      'http://127.0.0.1:41000 127.0.0.1:41000 http://127.0.0.1:41000 http://127.0.0.1:41001',
    );
  });

  it('leaves as written what is not known yet, and what it does not know', () => {
    const lines = runtimeEnv(spec, web, secrets, noUrls);
    expect(value(lines, 'PUBLIC')).toBe('${APP_URL} ${APP_DOMAIN} ${_self.URL} ${api.PUBLIC_URL}');
    expect(value(lines, 'UNKNOWN')).toBe('${nope.PRIVATE_URL} ${SOMETHING}');
    expect(value(lines, 'WORKER')).toBe('${jobs.PRIVATE_URL}');
  });

  it('resolves bindable variables inside an opened secret', () => {
    const c = component('web', 3000, [env('DSN', secrets.seal('${api.PRIVATE_URL}?key=k'), 'RUN_TIME', 'SECRET')]);
    const s: AppSpec = { name: 'shop', components: [c, api], databases: [] };
    expect(runtimeEnv(s, c, secrets, noUrls)).toEqual(['DSN=http://api:8000?key=k']);
  });
});

describe('database variables', () => {
  const web = component('web', 8080, [
    env('DATABASE_URL', '${db.DATABASE_URL}', 'RUN_AND_BUILD_TIME'),
    env('DB_HOST', '${db.HOSTNAME}', 'RUN_TIME'),
  ]);
  const spec: AppSpec = {
    name: 'shop',
    components: [web],
    databases: [{ name: 'db', engine: 'PG', version: '15', dbName: 'db', dbUser: 'db' }],
  };
  const urls = {
    publicUrls: new Map<string, string>(),
    databases: new Map([['db', { DATABASE_URL: 'postgresql://db:pw@db:5432/db', HOSTNAME: 'db' }]]),
  };

  it('are bound in the containers, never in a build, as on DigitalOcean', () => {
    expect(runtimeEnv(spec, web, secrets, urls)).toEqual(['DATABASE_URL=postgresql://db:pw@db:5432/db', 'DB_HOST=db']);
    expect(buildArgs(spec, web, secrets, urls, new Set(['DATABASE_URL']))).toEqual({
      DATABASE_URL: '${db.DATABASE_URL}',
    });
  });
});
