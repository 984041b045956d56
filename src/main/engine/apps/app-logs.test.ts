import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/deployment';
import type { DeploymentLogs } from '../logs/deployment-logs';
import { sealSpecSecrets } from '../secrets/seal-spec';
import { followLogs, readLogs } from './app-logs';
import { appRecord, deploymentRecord, fakeEngine, fakeHost, SHOP_SPEC } from './fake-engine.test-support';

/** Logs that answer with what they were asked. */
function askedLogs(asked: unknown[]) {
  return {
    read: async (...args: unknown[]) => {
      asked.push(['read', ...args]);
      return [];
    },
    follow: async (...args: unknown[]) => {
      asked.push(['follow', ...args.slice(0, 3)]);
      return () => asked.push(['stopped']);
    },
  } as unknown as DeploymentLogs;
}

describe('readLogs', () => {
  it('reads the deployment named, else the latest, filtered by type and component', async () => {
    const engine = fakeEngine({
      apps: [appRecord('shop', SHOP_SPEC)],
      deployments: [
        deploymentRecord('shop', 'd1', 'ACTIVE', SHOP_SPEC),
        deploymentRecord('shop', 'd2', 'ERROR', SHOP_SPEC),
      ],
    });
    const asked: unknown[] = [];
    engine.ctx.logs = askedLogs(asked);
    await readLogs(engine.ctx, { app: 'shop', type: 'build' });
    await readLogs(engine.ctx, { app: 'shop', type: 'deploy', deployment: 'd1', component: 'web', tail: 5 });
    expect(asked).toEqual([
      ['read', 'shop', 'd2', { type: 'build' }, undefined],
      ['read', 'shop', 'd1', { type: 'deploy', component: 'web' }, 5],
    ]);
    await expect(readLogs(engine.ctx, { app: 'shop', type: 'build', deployment: 'd9' })).rejects.toMatchObject({
      code: 'DEPLOYMENT_NOT_FOUND',
    });
  });

  it('gives nothing for an app without deployments, or run logs with nothing live', async () => {
    const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
    expect(await readLogs(engine.ctx, { app: 'shop', type: 'build' })).toEqual([]);
    expect(await readLogs(engine.ctx, { app: 'shop', type: 'run' })).toEqual([]);
  });
});

describe('followLogs', () => {
  it('ends with a connection-lost line when the host’s connection ends, and only once', async () => {
    const engine = fakeEngine({ apps: [{ ...appRecord('shop', SHOP_SPEC), server: 'box' }] });
    let close = () => undefined as void;
    const host = { ...fakeHost('box'), closed: new Promise<void>((resolve) => (close = resolve)) };
    engine.ctx.hostFor = async () => host;
    const asked: unknown[] = [];
    engine.ctx.logs = askedLogs(asked);
    const lines: LogLine[][] = [];

    const stop = await followLogs(engine.ctx, { app: 'shop', type: 'build', component: 'web' }, (l) => lines.push(l));
    expect(asked).toEqual([['follow', 'shop', undefined, { type: 'build', component: 'web' }]]);
    close();
    await host.closed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      [expect.objectContaining({ type: 'build', notice: 'connection-lost', line: expect.stringContaining('box') })],
    ]);
    stop();
    expect(asked).toContainEqual(['stopped']);
    expect(lines).toHaveLength(1);
  });

  it('says nothing once the reader has stopped', async () => {
    const engine = fakeEngine({ apps: [appRecord('shop', SHOP_SPEC)] });
    let close = () => undefined as void;
    const host = { ...fakeHost('local'), closed: new Promise<void>((resolve) => (close = resolve)) };
    engine.ctx.hostFor = async () => host;
    engine.ctx.logs = askedLogs([]);
    const lines: LogLine[][] = [];
    const stop = await followLogs(engine.ctx, { app: 'shop', type: 'deploy' }, (l) => lines.push(l));
    stop();
    close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([]);
  });
});

/** One frame of Docker's multiplexed log stream (stdout), as `docker logs` sends it. */
function frame(text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = 1;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

const TOKEN = 'run-time-token-4711';
const PEM = '-----BEGIN KEY-----\nAAAAB3NzaC1yc2EAAAADAQABAAABAQ\n-----END KEY-----';
const SECRET_SPEC = `name: shop
services:
  - name: web
    image:
      registry_type: DOCKER_HUB
      repository: nginx
    envs:
      - key: API_TOKEN
        value: ${TOKEN}
        type: SECRET
        scope: RUN_TIME
      - key: TLS_KEY
        type: SECRET
        value: |
          ${PEM.split('\n').join('\n          ')}
`;

/** An engine whose live deployment of shop runs one web container that printed its secrets. */
function engineWithChattyContainer(output: string) {
  const engine = fakeEngine();
  const sealed = sealSpecSecrets(SECRET_SPEC, engine.ctx.secrets);
  const live = { ...deploymentRecord('shop', 'd1', 'ACTIVE', sealed), containers: { web: ['c1'] } };
  engine.store.state.apps.push(appRecord('shop', sealed));
  engine.store.state.deployments.push(live);
  const lines = output
    .split('\n')
    .map((line, i) => `2026-01-01T00:00:0${i}.000000000Z ${line}\n`)
    .join('');
  const followed = new PassThrough();
  const docker = {
    getContainer: () => ({
      logs: async (options: { follow?: boolean }) => (options.follow ? followed : frame(lines)),
    }),
    modem: { demuxStream: (from: PassThrough, to: PassThrough) => from.pipe(to) },
  };
  engine.ctx.hostFor = async () => ({ ...fakeHost('local'), docker: docker as unknown as Docker });
  return { engine, followed, lines };
}

describe('run logs', () => {
  const output = `token is ${TOKEN}\n${PEM}\nplain line`;

  it('hide the secrets the deployment gave its containers, as build logs do', async () => {
    const { engine } = engineWithChattyContainer(output);
    const read = await readLogs(engine.ctx, { app: 'shop', type: 'run' });
    expect(read.map((l) => l.line)).toEqual([
      'token is [secret API_TOKEN]',
      '[secret TLS_KEY]',
      '[secret TLS_KEY]',
      '[secret TLS_KEY]',
      'plain line',
    ]);
  });

  it('hide them in a followed stream too', async () => {
    const { engine, followed, lines } = engineWithChattyContainer(output);
    const got: LogLine[] = [];
    const stop = await followLogs(engine.ctx, { app: 'shop', type: 'run' }, (batch) => got.push(...batch));
    await new Promise((resolve) => setImmediate(resolve));
    followed.write(lines);
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    const text = got.map((l) => l.line).join('\n');
    expect(text).toContain('token is [secret API_TOKEN]');
    expect(text).toContain('plain line');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('AAAAB3NzaC1yc2EAAAADAQABAAABAQ');
  });
});
