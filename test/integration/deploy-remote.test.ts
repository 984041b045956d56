import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/contract';
import { LABELS } from '../../src/shared/labels';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import type { SshDockerHost } from '../../src/main/engine/hosts/ssh-docker-host';
import { ensureBusyboxImage } from '../support/busybox-image';
import { removeSlipwayResources } from '../support/cleanup';
import {
  deployAndWait,
  EDGE_SCRIPT,
  helloCopy,
  httpGet,
  scratchDir,
  stopEdgeProcess,
} from '../support/deploy-fixtures';
import {
  connectServerEngine,
  startRemoteServers,
  stopRemoteServers,
  trustedServerInput,
  type RemoteServer,
} from '../support/remote-servers';

const docker = new Docker();

describe('deploying to servers over SSH, and to this machine', () => {
  let servers: RemoteServer[];
  let remotes: SshDockerHost[] = [];
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let engine: Engine;
  let client: Client<typeof contract>;
  const data = () => path.join(scratch.dir, 'data');

  beforeAll(async () => {
    servers = await startRemoteServers(2);
    scratch = await scratchDir('remote');
    // The servers' own engines, reached directly by the test to check what Slipway left there.
    remotes = await Promise.all(servers.map((s) => connectServerEngine(s)));
    // Building on the first server needs its base image there (no registry is reachable).
    await ensureBusyboxImage(remotes[0]!.docker);
    const knownHosts = path.join(scratch.dir, 'known_hosts');
    await writeFile(knownHosts, '');
    engine = createEngine({
      dataDir: data(),
      edgeProcess: { script: EDGE_SCRIPT },
      ssh: { knownHostsFile: knownHosts },
    });
    client = createClient(contract, inProcessTransport(engine.router));
    for (const [i, s] of servers.entries()) {
      const added = await client.servers.add(trustedServerInput(`srv${i + 1}`, s));
      expect(added.status.state, added.status.reason).toBe('online');
    }
  });

  afterAll(async () => {
    for (const app of ['rm-server-build', 'rm-shipped', 'rm-here', 'rm-db'])
      await client?.apps.delete({ app, deleteData: true }).catch(() => undefined);
    await engine?.close();
    await stopEdgeProcess(data());
    for (const remote of remotes) await remote.close();
    if (servers) await stopRemoteServers(servers);
    for (const app of ['rm-shipped', 'rm-here']) await removeSlipwayResources(docker, { app });
    await scratch?.remove();
  });

  it('builds on one server, builds here and ships to the other, deploys here too: each answers its page', async () => {
    const apps = [
      { name: 'rm-server-build', server: 'srv1', buildMode: 'server' as const, on: () => remotes[0]!.docker },
      { name: 'rm-shipped', server: 'srv2', buildMode: 'local' as const, on: () => remotes[1]!.docker },
      { name: 'rm-here', server: 'local', buildMode: undefined, on: () => docker },
    ];
    for (const app of apps) {
      const dir = await helloCopy(scratch.dir, app.name, `${app.name} page`);
      await client.apps.create({
        specPath: path.join(dir, 'app.yaml'),
        server: app.server,
        ...(app.buildMode ? { buildMode: app.buildMode } : {}),
      });
    }
    // A server's app count is current at once, not only after its next check.
    expect((await client.servers.get({ name: 'srv1' })).status.apps).toBe(1);
    const deployed = await Promise.all(apps.map((app) => deployAndWait(client, app.name)));
    for (const [i, d] of deployed.entries()) {
      const app = apps[i]!;
      expect(d.phase, `${app.name}: ${JSON.stringify(d.error)}`).toBe('ACTIVE');
      expect((await httpGet(d.endpoints[0]!.url)).body).toContain(`<span id="version">${app.name} page</span>`);
      // The containers run on the engine the app targets, and nowhere else.
      const running = await app.on().listContainers({ filters: { label: [`${LABELS.app}=${app.name}`] } });
      expect(running.map((c) => c.Id)).toEqual(d.containers.web);
    }
    const shippedLog = await client.apps.readLogs({ app: 'rm-shipped', type: 'build' });
    expect(shippedLog.some((l) => /^Shipped [\d.]+ MB to srv2$/.test(l.line))).toBe(true);

    const list = await client.servers.list();
    expect(list.map((s) => [s.name, s.status.state, s.status.apps])).toEqual([
      ['local', 'online', 1],
      ['srv1', 'online', 1],
      ['srv2', 'online', 1],
    ]);
  });

  it('restarts and rolls back on a server the way it does here', async () => {
    const before = (await client.apps.listDeployments({ app: 'rm-server-build' }))[0]!;
    const restarted = await deployAndWait(client, 'rm-server-build');
    expect(restarted.phase).toBe('ACTIVE');
    const restart = await client.apps.restart({ app: 'rm-server-build' });
    const { waitForDeployment } = await import('../support/deploy-fixtures');
    const done = await waitForDeployment(client, 'rm-server-build', restart.id);
    expect(done.phase, JSON.stringify(done.error)).toBe('ACTIVE');
    const rollback = await client.apps.rollback({ app: 'rm-server-build', deployment: before.id });
    const rolled = await waitForDeployment(client, 'rm-server-build', rollback.id);
    expect(rolled.phase, JSON.stringify(rolled.error)).toBe('ACTIVE');
    expect((await httpGet(rolled.endpoints[0]!.url)).body).toContain('rm-server-build page');
  });

  it('runs a PostgreSQL database on a server, its image shipped from here, its data kept through a redeploy', async () => {
    const dir = path.join(scratch.dir, 'rm-db');
    await cp(path.resolve(__dirname, '../fixtures/databases/pg-app'), dir, { recursive: true });
    const spec = path.join(dir, 'app.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace(/^name: .*$/m, 'name: rm-db'));
    await client.apps.create({ specPath: spec, server: 'srv1' });
    const first = await deployAndWait(client, 'rm-db');
    expect(first.phase, JSON.stringify(first.error)).toBe('ACTIVE');
    const log = await client.apps.readLogs({ app: 'rm-db', type: 'deploy' });
    expect(log.some((l) => /^Shipped postgres:15 \([\d.]+ MB\)$/.test(l.line))).toBe(true);

    const { password } = await client.databases.credentials({ app: 'rm-db', db: 'db' });
    const url = `postgresql://db:${password}@db:5432/db`;
    const server = remotes[0]!.docker;
    const psql = async (sql: string) => {
      const container = await server.createContainer({
        Image: 'postgres:15',
        Entrypoint: ['psql'],
        Cmd: [url, '-tA', '-v', 'ON_ERROR_STOP=1', '-c', sql],
        HostConfig: { NetworkMode: 'slipway-rm-db' },
      });
      try {
        await container.start();
        expect(((await container.wait()) as { StatusCode: number }).StatusCode).toBe(0);
        const out = (await container.logs({ stdout: true })) as unknown as Buffer;
        return out.subarray(8).toString('utf8').trim();
      } finally {
        await container.remove({ force: true });
      }
    };
    await psql('CREATE TABLE visits (n int); INSERT INTO visits VALUES (1);');
    const again = await deployAndWait(client, 'rm-db', { source: 'same-revision' });
    expect(again.phase, JSON.stringify(again.error)).toBe('ACTIVE');
    expect(await psql('SELECT count(*) FROM visits;')).toBe('1');
    const [db] = await client.databases.list({ app: 'rm-db' });
    expect(db).toMatchObject({ name: 'db', engine: 'PG', health: 'healthy', volume: 'slipway-rm-db-db-data' });
    // Nothing of it on this machine: the database runs where the app does.
    expect(await docker.listContainers({ all: true, filters: { label: [`${LABELS.app}=rm-db`] } })).toEqual([]);
  });

  it('never runs hostile names, branches, paths or env values as commands, here or on a server', async () => {
    const pwned = path.join(scratch.dir, 'pwned');
    const hostile = [
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      `x; touch ${pwned}`,
      `x\ntouch ${pwned}`,
      `--upload-pack=touch ${pwned}`,
    ];
    for (const value of hostile) {
      const quoted = JSON.stringify(value);
      for (const yaml of [
        `name: ${quoted}\nservices:\n  - name: web\n`,
        `name: hostile\nservices:\n  - name: web\n    git:\n      repo_clone_url: file:///tmp/x\n      branch: ${quoted}\n`,
      ]) {
        const err = await client.apps
          .create({ specYaml: yaml, sourcePath: scratch.dir, server: 'srv1' })
          .catch((e: { code: string }) => e);
        expect((err as { code: string }).code, yaml).toBe('SPEC_INVALID');
      }
      // A path is only ever a path: refused when the loader sees it cannot be one, else the build finds no such folder.
      const odd = await client.apps
        .create({
          specYaml: `name: hostile\nservices:\n  - name: web\n    source_dir: ${quoted}\n`,
          sourcePath: scratch.dir,
          server: 'srv1',
        })
        .catch((e: { code: string }) => e);
      if ('code' in odd) {
        expect(odd.code).toBe('SPEC_INVALID');
      } else {
        try {
          const d = await deployAndWait(client, odd.name);
          expect(d.phase).toBe('ERROR');
          expect(d.error?.code).toBe('SOURCE_NOT_FOUND');
        } finally {
          await client.apps.delete({ app: odd.name });
        }
      }
      const badServer = await client.servers
        .add({ name: value, host: '127.0.0.1', auth: { type: 'agent' } })
        .catch((e: { code: string }) => e);
      expect((badServer as { code: string }).code).toBe('INVALID_REQUEST');
    }
    // An env value is only ever an env value: deployed to a server, nothing runs it.
    const dir = await helloCopy(scratch.dir, 'rm-hostile');
    const spec = path.join(dir, 'app.yaml');
    const { readFile } = await import('node:fs/promises');
    await writeFile(
      spec,
      (await readFile(spec, 'utf8')).replace(
        'value: Hello from Slipway',
        `value: ${JSON.stringify(hostile.join(' '))}`,
      ),
    );
    await client.apps.create({ specPath: spec, server: 'srv1' });
    try {
      const d = await deployAndWait(client, 'rm-hostile');
      expect(d.phase, JSON.stringify(d.error)).toBe('ACTIVE');
      const { existsSync } = await import('node:fs');
      expect(existsSync(pwned)).toBe(false);
    } finally {
      await client.apps.delete({ app: 'rm-hostile' });
    }
  });
});
