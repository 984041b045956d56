import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../src/shared/errors';
import type { DockerHost } from '../../src/main/engine/hosts/docker-host';
import { connectSshDockerHost, type SshTarget } from '../../src/main/engine/hosts/ssh-docker-host';
import { BUSYBOX_IMAGE, ensureBusyboxImage } from '../support/busybox-image';
import { removeSlipwayResources } from '../support/cleanup';
import { sleep } from '../support/local-docker';
import { startRemoteServers, stopRemoteServers, type RemoteServer } from '../support/remote-servers';

let servers: RemoteServer[] = [];
const openHosts: DockerHost[] = [];

function targetFor(server: RemoteServer, overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    host: server.host,
    port: server.port,
    username: server.username,
    privateKey: server.privateKey,
    trustedHostKey: server.hostKeyFingerprint,
    // Each stand-in server's engine listens on its own socket, not /var/run/docker.sock.
    dockerSocketPath: server.dockerSocketPath,
    ...overrides,
  };
}

async function connect(server: RemoteServer, overrides: Partial<SshTarget> = {}): Promise<DockerHost> {
  const host = await connectSshDockerHost(server.name, targetFor(server, overrides));
  openHosts.push(host);
  return host;
}

async function sshdLog(server: RemoteServer): Promise<string> {
  return readFile(server.sshdLogPath, 'utf8');
}

function countAccepted(log: string): number {
  return log.match(/Accepted publickey for root/g)?.length ?? 0;
}

/** sshd logs a connection's end from its child process, a moment after the client gave up. */
async function logAfter(server: RemoteServer, offset: number, done: RegExp): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const fresh = (await sshdLog(server)).slice(offset);
    if (done.test(fresh) || Date.now() > deadline) return fresh;
    await sleep(50);
  }
}

async function rejection(promise: Promise<unknown>): Promise<SlipwayError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SlipwayError);
  return err as SlipwayError;
}

beforeAll(async () => {
  const started = Date.now();
  servers = await startRemoteServers(2);
  console.info(`two remote servers started in ${Date.now() - started} ms`);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(openHosts.map((host) => host.close()));
  await stopRemoteServers(servers);
}, 120_000);

describe('remote servers over SSH', () => {
  it('reaches each server through its own engine', async () => {
    const roots: string[] = [];
    for (const server of servers) {
      const host = await connect(server);
      const info = (await host.docker.info()) as { DockerRootDir: string };
      expect(info.DockerRootDir).toBe(server.dockerRootDir);
      expect(info.DockerRootDir).toBe(join(server.dir, 'data'));
      roots.push(info.DockerRootDir);
    }
    expect(roots[0]).not.toBe(roots[1]);
  });

  it('refuses a server whose host key is not the trusted one, before authenticating', async () => {
    const [server, other] = servers as [RemoteServer, RemoteServer];
    const offset = (await sshdLog(server)).length;

    const err = await rejection(connect(server, { trustedHostKey: other.hostKeyFingerprint }));
    expect(err.code).toBe('HOST_KEY_MISMATCH');
    expect(err.message).toContain(other.hostKeyFingerprint);
    expect(err.message).toContain(server.hostKeyFingerprint);
    expect(err.details).toEqual({ expected: other.hostKeyFingerprint, presented: server.hostKeyFingerprint });

    const fresh = await logAfter(server, offset, /\[preauth\]/);
    expect(fresh).toMatch(/Connection from 127\.0\.0\.1/);
    expect(fresh).toMatch(/\[preauth\]/);
    expect(countAccepted(fresh)).toBe(0);
    // Not even offered: the key never left the client.
    expect(fresh).not.toMatch(/publickey/i);
  });

  it('reports an untrusted host key with the fingerprint it presented', async () => {
    const [server] = servers as [RemoteServer];
    const err = await rejection(connect(server, { trustedHostKey: '' }));
    expect(err.code).toBe('HOST_KEY_UNTRUSTED');
    expect(err.details).toEqual({ presented: server.hostKeyFingerprint });
  });

  it('runs 30 concurrent Docker calls over one authenticated connection', async () => {
    const [server] = servers as [RemoteServer];
    const before = countAccepted(await sshdLog(server));
    const host = await connect(server);
    const calls = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0 ? host.docker.version() : host.docker.listContainers({ all: true }),
    );
    const results = await Promise.allSettled(calls);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const after = countAccepted(await sshdLog(server));
    expect(after - before).toBe(1);
  });

  it('maps a wrong client key to SSH_AUTH_FAILED and a closed port to SSH_UNREACHABLE', async () => {
    const [server, other] = servers as [RemoteServer, RemoteServer];
    const authErr = await rejection(connect(server, { privateKey: other.privateKey }));
    expect(authErr.code).toBe('SSH_AUTH_FAILED');

    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const unreachable = await rejection(connect(server, { port: closedPort }));
    expect(unreachable.code).toBe('SSH_UNREACHABLE');
  });

  it('fails a Docker call, rather than hanging, when the socket channel cannot be opened', async () => {
    const [server] = servers as [RemoteServer];
    const host = await connect(server, { dockerSocketPath: join(server.dir, 'no-such.sock') });
    const started = Date.now();
    await expect(host.docker.version()).rejects.toThrow(/open failure|Channel/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('builds the busybox image over SSH and cleans up only labelled resources', async () => {
    const [server] = servers as [RemoteServer];
    const host = await connect(server);
    const docker = host.docker;
    await ensureBusyboxImage(docker);
    await ensureBusyboxImage(docker); // second call finds the tag and returns
    const image = await docker.getImage(BUSYBOX_IMAGE).inspect();
    expect(image.Id).toMatch(/^sha256:/);

    const managed = await docker.createContainer({
      Image: BUSYBOX_IMAGE,
      Cmd: ['sleep', '30'],
      Labels: { 'dev.slipway.managed': 'true', 'dev.slipway.app': 'demo' },
      HostConfig: { Init: true },
    });
    await managed.start();
    const otherApp = await docker.createContainer({
      Image: BUSYBOX_IMAGE,
      Cmd: ['echo', 'hi'],
      Labels: { 'dev.slipway.managed': 'true', 'dev.slipway.app': 'other' },
    });
    const unmanaged = await docker.createContainer({ Image: BUSYBOX_IMAGE, Cmd: ['echo', 'hi'] });

    const exec = await managed.exec({ Cmd: ['cat', '/proc/1/cmdline'], AttachStdout: true });
    const execStream = await exec.start({});
    const chunks: Buffer[] = [];
    for await (const chunk of execStream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('latin1')).toContain('init');

    await removeSlipwayResources(docker, { app: 'demo' });
    const ids = (await docker.listContainers({ all: true })).map((c) => c.Id);
    expect(ids).not.toContain(managed.id);
    expect(ids).toContain(otherApp.id);
    expect(ids).toContain(unmanaged.id);

    await removeSlipwayResources(docker);
    const left = (await docker.listContainers({ all: true })).map((c) => c.Id);
    expect(left).toEqual([unmanaged.id]);
    await unmanaged.remove({ force: true });
    expect((await docker.listImages()).some((i) => i.RepoTags?.includes(BUSYBOX_IMAGE))).toBe(true);
  }, 60_000);
});
