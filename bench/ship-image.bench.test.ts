/**
 * `npm run bench`: shipping a 50 MB image to a server with Slipway (the Docker
 * API on both ends over one SSH connection) against `docker save | ssh host
 * docker load`, in one run. Prints both throughputs and their ratio.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { shipImage } from '../src/main/engine/docker/ship-image';
import { connectSshDockerHost, type SshDockerHost } from '../src/main/engine/hosts/ssh-docker-host';
import { localDockerHost } from '../src/main/engine/hosts/local-docker-host';
import { startRemoteServers, stopRemoteServers, type RemoteServer } from '../test/support/remote-servers';

const IMAGE = 'slipway-bench/fifty-megabytes:1';
const ROUNDS = 3;
const docker = new Docker();
let server: RemoteServer;
let remote: SshDockerHost;
let dir: string;

beforeAll(async () => {
  [server] = (await startRemoteServers(1)) as [RemoteServer];
  remote = await connectSshDockerHost('bench', {
    host: server.host,
    port: server.port,
    username: 'root',
    privateKey: server.privateKey,
    trustedHostKey: server.hostKeyFingerprint,
    dockerSocketPath: server.dockerSocketPath,
  });
  // 50 MB of random bytes: nothing for a transport to compress away.
  dir = await mkdtemp(path.join(tmpdir(), 'slipway-ship-'));
  await writeFile(path.join(dir, 'blob'), (await import('node:crypto')).randomBytes(50 * 1024 * 1024));
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY blob /blob\n');
  const tar = (await import('tar-fs')).default.pack(dir);
  const stream = await docker.buildImage(tar as never, { t: IMAGE });
  await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(null))),
  );
}, 180_000);

afterAll(async () => {
  await remote?.close();
  if (server) await stopRemoteServers([server]);
  await docker
    .getImage(IMAGE)
    .remove()
    .catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `docker save IMAGE | ssh -i key -p PORT root@127.0.0.1 DOCKER_HOST=... docker load`, by argv on both sides of the pipe. */
function pipeThroughSsh(): Promise<void> {
  return new Promise((resolve, reject) => {
    const save = spawn('docker', ['save', IMAGE], { stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn(
      'ssh',
      [
        '-i',
        server.privateKeyPath,
        '-p',
        String(server.port),
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'LogLevel=ERROR',
        'root@127.0.0.1',
        'docker',
        'load',
        '-q',
      ],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    save.stdout.pipe(load.stdin);
    load.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ssh docker load exited ${code}`))));
    save.on('error', reject);
    load.on('error', reject);
  });
}

it(
  'ships a 50 MB image at least 0.9 times as fast as docker save | ssh docker load',
  async () => {
    const local = localDockerHost();
    const slipway: number[] = [];
    const pipe: number[] = [];
    let bytes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await remote.docker
        .getImage(IMAGE)
        .remove()
        .catch(() => undefined);
      let start = performance.now();
      bytes = await shipImage(local, remote, IMAGE);
      slipway.push(performance.now() - start);
      expect((await remote.docker.getImage(IMAGE).inspect()).Size).toBeGreaterThan(50_000_000);

      await remote.docker.getImage(IMAGE).remove();
      start = performance.now();
      await pipeThroughSsh();
      pipe.push(performance.now() - start);
      expect((await remote.docker.getImage(IMAGE).inspect()).Size).toBeGreaterThan(50_000_000);
    }
    const best = (list: number[]) => Math.min(...list);
    const mbps = (ms: number) => (bytes / 1024 / 1024 / (ms / 1000)).toFixed(1);
    const ratio = best(pipe) / best(slipway);
    console.log(
      [
        `ship ${(bytes / 1024 / 1024).toFixed(1)} MB to a server, best of ${ROUNDS}:`,
        `  slipway:                       ${best(slipway).toFixed(0)} ms (${mbps(best(slipway))} MB/s)`,
        `  docker save | ssh docker load: ${best(pipe).toFixed(0)} ms (${mbps(best(pipe))} MB/s)`,
        `  throughput ratio slipway / pipe: ${ratio.toFixed(2)}`,
      ].join('\n'),
    );
    expect(ratio).toBeGreaterThanOrEqual(0.9);
  },
  10 * 60_000,
);
