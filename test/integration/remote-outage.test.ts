import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/contract';
import type { Deployment, LogLine } from '../../src/shared/deployment';
import { LABELS } from '../../src/shared/labels';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import { connectSshDockerHost, type SshDockerHost } from '../../src/main/engine/hosts/ssh-docker-host';
import { ensureBusyboxImage } from '../support/busybox-image';
import {
  deployAndWait,
  EDGE_SCRIPT,
  eventually,
  helloCopy,
  httpGet,
  scratchDir,
  stopEdgeProcess,
  waitForDeployment,
} from '../support/deploy-fixtures';
import {
  killSshd,
  restartSshd,
  startRemoteServers,
  stopRemoteServers,
  trustedServerInput,
  type RemoteServer,
} from '../support/remote-servers';

const APP = 'ro-app';

describe('a server whose SSH server dies during a deployment', () => {
  let server: RemoteServer;
  let direct: SshDockerHost | null = null;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let engine: Engine;
  let client: Client<typeof contract>;
  let appDir: string;
  let live: Deployment;

  const directHost = async () => {
    direct = await connectSshDockerHost('check', {
      host: server.host,
      port: server.port,
      username: 'root',
      privateKey: server.privateKey,
      trustedHostKey: server.hostKeyFingerprint,
      dockerSocketPath: server.dockerSocketPath,
    });
    return direct;
  };

  beforeAll(async () => {
    [server] = (await startRemoteServers(1)) as [RemoteServer];
    scratch = await scratchDir('outage');
    const check = await directHost();
    await ensureBusyboxImage(check.docker);
    await check.close();
    const knownHosts = path.join(scratch.dir, 'known_hosts');
    await writeFile(knownHosts, '');
    engine = createEngine({
      dataDir: path.join(scratch.dir, 'data'),
      edgeProcess: { script: EDGE_SCRIPT },
      ssh: { knownHostsFile: knownHosts },
    });
    client = createClient(contract, inProcessTransport(engine.router));
    await client.servers.add(trustedServerInput('srv', server));
    appDir = await helloCopy(scratch.dir, APP, 'outage v1');
    await client.apps.create({ specPath: path.join(appDir, 'app.yaml'), server: 'srv' });
    live = await deployAndWait(client, APP);
    expect(live.phase, JSON.stringify(live.error)).toBe('ACTIVE');
  });

  afterAll(async () => {
    await client?.apps.delete({ app: APP }).catch(() => undefined);
    await engine?.close();
    await direct?.close();
    await stopEdgeProcess(path.join(scratch.dir, 'data'));
    if (server) await stopRemoteServers([server]);
    await scratch?.remove();
  });

  it('ends the log stream with "connection lost", the deployment ERROR (interrupted), and recovers when the server is back', async () => {
    const dockerfile = path.join(appDir, 'Dockerfile');
    await writeFile(dockerfile, (await readFile(dockerfile, 'utf8')).replace('COPY site/', 'RUN sleep 30\nCOPY site/'));
    const lines: LogLine[] = [];
    const stop = await client.apps.followLogs({ app: APP, type: 'build' }, (batch) => lines.push(...batch));
    const queued = await client.apps.deploy({ app: APP });
    await eventually(async () => lines.some((l) => l.line.includes('RUN sleep 30')), 30_000);

    await killSshd(server);
    const lost = await eventually(async () => lines.find((l) => l.notice === 'connection-lost'), 20_000);
    expect(lost.line).toContain('Connection to srv lost');
    // The app no longer claims to be live: nothing about the server can be known while it is away.
    await eventually(async () => (await client.apps.get({ app: APP })).status === 'unreachable', 20_000);
    stop();
    const ended = await waitForDeployment(client, APP, queued.id, 30_000);
    expect(ended.phase).toBe('ERROR');
    expect(ended.error?.message).toMatch(/interrupted/i);

    await restartSshd(server);
    await eventually(async () => (await client.servers.get({ name: 'srv' })).status.state === 'online', 30_000);
    // Reconciliation ran on reconnect: the live version is routed again and is all that runs there.
    const answer = await eventually(async () => {
      const got = await httpGet(live.endpoints[0]!.url, 2000).catch(() => null);
      return got?.status === 200 ? got : null;
    }, 20_000);
    expect(answer.body).toContain('outage v1');
    expect((await client.apps.get({ app: APP })).status).toBe('live');
    const check = await directHost();
    const labelled = await check.docker.listContainers({ all: true, filters: { label: [`${LABELS.app}=${APP}`] } });
    expect(labelled.map((c) => c.Id).sort()).toEqual(Object.values(live.containers).flat().sort());
  });
});
