import { describe, expect, it } from 'vitest';
import { instanceCreateOptions, instancePortKey, jobCreateOptions, type InstanceRequest } from './create-options';

const LABELS = {
  'dev.slipway.managed': 'true',
  'dev.slipway.owner': 'owner-1',
  'dev.slipway.app': 'shop',
  'dev.slipway.component': 'web',
  'dev.slipway.deployment': 'd1',
};

function instance(overrides: Partial<InstanceRequest> = {}): InstanceRequest {
  return {
    owner: 'owner-1',
    app: 'shop',
    component: 'web',
    deployment: 'd1',
    index: 2,
    image: 'slipway/shop-web:d1',
    env: ['PORT=8080'],
    runCommand: null,
    httpPort: null,
    restart: true,
    network: null,
    ...overrides,
  };
}

describe('instanceCreateOptions', () => {
  it('publishes the http port on 127.0.0.1, joins the app network under the component name, runs run_command in a shell', () => {
    expect(
      instanceCreateOptions(instance({ httpPort: 8080, network: 'slipway-shop', runCommand: 'npm start' })),
    ).toStrictEqual({
      name: 'slipway-shop-web-d1-2',
      Image: 'slipway/shop-web:d1',
      Env: ['PORT=8080'],
      Labels: LABELS,
      HostConfig: {
        Init: true,
        RestartPolicy: { Name: 'unless-stopped' },
        NetworkMode: 'slipway-shop',
        PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      },
      NetworkingConfig: { EndpointsConfig: { 'slipway-shop': { Aliases: ['web'] } } },
      ExposedPorts: { '8080/tcp': {} },
      Cmd: ['/bin/sh', '-c', 'npm start'],
    });
  });

  it('leaves out ports, network and command when there are none, and restarts only when asked', () => {
    expect(instanceCreateOptions(instance({ restart: false }))).toStrictEqual({
      name: 'slipway-shop-web-d1-2',
      Image: 'slipway/shop-web:d1',
      Env: ['PORT=8080'],
      Labels: LABELS,
      HostConfig: { Init: true, RestartPolicy: { Name: 'no' } },
    });
  });
});

describe('jobCreateOptions', () => {
  const job = {
    owner: 'owner-1',
    app: 'shop',
    component: 'migrate',
    deployment: 'd1',
    image: 'slipway/shop-migrate:d1',
    env: ['A=1'],
    runCommand: 'npm run migrate',
    network: 'slipway-shop',
  };
  const jobLabels = { ...LABELS, 'dev.slipway.component': 'migrate' };

  it('runs once on the app network, with no alias and nothing published', () => {
    expect(jobCreateOptions(job)).toStrictEqual({
      name: 'slipway-shop-migrate-d1-job',
      Image: 'slipway/shop-migrate:d1',
      Env: ['A=1'],
      Labels: jobLabels,
      HostConfig: { Init: true, RestartPolicy: { Name: 'no' }, NetworkMode: 'slipway-shop' },
      Cmd: ['/bin/sh', '-c', 'npm run migrate'],
    });
  });

  it("keeps the image's own command and Docker's default bridge when the spec names neither", () => {
    expect(jobCreateOptions({ ...job, runCommand: null, network: null })).toStrictEqual({
      name: 'slipway-shop-migrate-d1-job',
      Image: 'slipway/shop-migrate:d1',
      Env: ['A=1'],
      Labels: jobLabels,
      HostConfig: { Init: true, RestartPolicy: { Name: 'no' } },
    });
  });
});

describe('instancePortKey', () => {
  it('names the tcp port, or none without an http port', () => {
    expect(instancePortKey({ httpPort: 3000 })).toBe('3000/tcp');
    expect(instancePortKey({ httpPort: null })).toBeNull();
  });
});
