import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type SlipwayState } from '../store/state-store';
import { knownSecrets } from './known-secrets';
import { aesGcmBox } from './secret-box';
import { sealSpecSecrets } from './seal-spec';

const box = aesGcmBox(randomBytes(32));
const otherBox = aesGcmBox(randomBytes(32));

const spec = (name: string, token: string) =>
  sealSpecSecrets(
    [
      `name: ${name}`,
      'services:',
      '  - name: web',
      '    image:',
      '      registry_type: DOCKER_HUB',
      '      repository: nginx',
      '    envs:',
      '      - key: API_TOKEN',
      `        value: ${token}`,
      '        type: SECRET',
      '      - key: GREETING',
      '        value: hello',
      '',
    ].join('\n'),
    box,
  );

const app = (name: string, specYaml: string) => ({
  name,
  server: 'local',
  specYaml,
  sourcePath: null,
  hostPorts: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('knownSecrets', () => {
  it("opens every app's secrets and every server's password or passphrase, by where they belong", () => {
    const state: SlipwayState = {
      schemaVersion: SCHEMA_VERSION,
      apps: [app('shop', spec('shop', 'token-of-shop')), app('blog', spec('blog', 'token-of-blog'))],
      deployments: [],
      servers: [
        {
          name: 'prod',
          host: '127.0.0.1',
          port: 22,
          user: 'deploy',
          auth: { type: 'password', password: box.seal('prod-password') },
          jump: null,
          dockerSocket: '/var/run/docker.sock',
          hostKey: null,
          createdAt: '2026-01-01T00:00:00.000Z',
        },
        {
          name: 'edge',
          host: '127.0.0.1',
          port: 22,
          user: 'deploy',
          auth: { type: 'key', keyPath: '~/.ssh/id', passphrase: box.seal('edge-passphrase') },
          jump: null,
          dockerSocket: '/var/run/docker.sock',
          hostKey: null,
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    };
    expect(knownSecrets(state, box)).toEqual({
      'shop/API_TOKEN': 'token-of-shop',
      'blog/API_TOKEN': 'token-of-blog',
      'prod/password': 'prod-password',
      'edge/passphrase': 'edge-passphrase',
    });
  });

  it('leaves out what another key sealed: it is not in plain here either', () => {
    const state: SlipwayState = {
      schemaVersion: SCHEMA_VERSION,
      apps: [app('shop', spec('shop', 'token-of-shop'))],
      deployments: [],
      servers: [],
    };
    expect(knownSecrets(state, otherBox)).toEqual({});
  });
});
