import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSshDockerHost, type SshDockerHost } from '../../src/main/engine/hosts/ssh-docker-host';
import { startRemoteServers, stopRemoteServers, type RemoteServer } from '../support/remote-servers';

describe('a server that refuses socket forwarding', () => {
  let server: RemoteServer;
  let host: SshDockerHost;

  beforeAll(async () => {
    [server] = (await startRemoteServers(1, { streamLocalForwarding: false })) as [RemoteServer];
    // The default socket path: the server's own docker CLI (its DOCKER_HOST set by sshd) finds its engine.
    host = await connectSshDockerHost('hardened', {
      host: server.host,
      port: server.port,
      username: 'root',
      privateKey: server.privateKey,
      trustedHostKey: server.hostKeyFingerprint,
    });
  });

  afterAll(async () => {
    await host?.close();
    if (server) await stopRemoteServers([server]);
  });

  it('carries 30 concurrent Docker calls over docker system dial-stdio on one connection, within MaxSessions', async () => {
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? host.docker.info() : host.docker.listContainers())),
    );
    expect(results).toHaveLength(30);
    expect((results[0] as { DockerRootDir: string }).DockerRootDir).toBe(server.dockerRootDir);
    const log = await readFile(server.sshdLogPath, 'utf8');
    expect(log).toMatch(/refused streamlocal port forward/);
    expect(log.match(/Accepted publickey/g)).toHaveLength(1);
  });
});
