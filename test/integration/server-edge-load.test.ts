/*
 * Zero downtime on a server's edge, under load: 20 clients keep asking the edge for the app's page
 * while it is deployed again, restarted and rolled back, with two instances and with one. Every
 * request is a fresh connection, so a single refused or cut one shows as a failure.
 */
import { request } from 'node:http';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/shared/contract';
import type { Deployment } from '../../src/shared/deployment';
import { createClient, type Client } from '../../src/shared/rpc/client';
import { inProcessTransport } from '../../src/shared/rpc/in-process-transport';
import { createEngine, type Engine } from '../../src/main/engine/engine';
import type { SshDockerHost } from '../../src/main/engine/hosts/ssh-docker-host';
import { ensureBusyboxImage } from '../support/busybox-image';
import { deployAndWait, eventually, scratchDir, waitForDeployment } from '../support/deploy-fixtures';
import {
  connectServerEngine,
  startRemoteServers,
  stopRemoteServers,
  trustedServerInput,
  type RemoteServer,
} from '../support/remote-servers';

const SERVER = 'edge-load';
const APPS = ['load-two', 'load-one'] as const;
// Ports on the server's loopback (this machine's) below Slipway's 20000–32767 and the OS's ephemeral range (32768
// and up), where the load's own thousands of client sockets would sooner or later hold one.
const HTTP_PORT = 12_000 + Math.floor(Math.random() * 2_000) * 2;
const HTTPS_PORT = HTTP_PORT + 1;

const CLIENTS = 20;
const REQUEST_TIMEOUT_MS = 5_000;
const LOAD_DEADLINE_MS = 30_000;
/** Per operation, across all clients: keeps the loopback's ports and the machine's CPU within reach. */
const MAX_REQUESTS = 20_000;

function appSpec(name: string, domain: string, instances: number, page: string): string {
  return [
    `name: ${name}`,
    'domains:',
    `  - domain: ${domain}`,
    'services:',
    '  - name: web',
    '    image: { registry_type: DOCKER_HUB, repository: busybox, tag: stable }',
    '    http_port: 8080',
    `    instance_count: ${instances}`,
    `    run_command: mkdir -p /www && echo ${page} > /www/index.html && exec httpd -f -p 8080 -h /www`,
    '',
  ].join('\n');
}

/** One GET / on the edge's HTTP port by host name, on a connection of its own. */
function edgeGet(domain: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: HTTP_PORT,
        path: '/',
        headers: { Host: domain },
        agent: false,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

interface Figures {
  requests: number;
  failed: number;
  /** The first few failures, to say what went wrong. */
  reasons: string[];
  /** How many answers carried each page. */
  pages: Record<string, number>;
  ms: number;
  /** False when the load ended (deadline or count) before the operation did. */
  coveredOperation: boolean;
}

/** Runs `operation` under load: CLIENTS clients, each GET after GET until it ends, the count is reached or the deadline passes. */
async function underLoad<T>(domain: string, operation: () => Promise<T>): Promise<{ result: T; figures: Figures }> {
  const figures: Figures = { requests: 0, failed: 0, reasons: [], pages: {}, ms: 0, coveredOperation: true };
  const started = Date.now();
  const deadline = started + LOAD_DEADLINE_MS;
  let done = false;
  const client = async () => {
    while (!done && Date.now() < deadline && figures.requests < MAX_REQUESTS) {
      figures.requests++;
      try {
        const answer = await edgeGet(domain);
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.body.trim().slice(0, 120)}`);
        const page = answer.body.trim();
        figures.pages[page] = (figures.pages[page] ?? 0) + 1;
      } catch (err) {
        figures.failed++;
        if (figures.reasons.length < 5) figures.reasons.push(`${new Date().toISOString()}: ${(err as Error).message}`);
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);
  try {
    const result = await operation();
    figures.coveredOperation = Date.now() < deadline && figures.requests < MAX_REQUESTS;
    return { result, figures };
  } finally {
    done = true;
    await Promise.all(clients);
    figures.ms = Date.now() - started;
  }
}

describe("zero downtime on a server's edge under load", () => {
  let servers: RemoteServer[];
  let remote: SshDockerHost;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let engine: Engine;
  let client: Client<typeof contract>;

  beforeAll(async () => {
    servers = await startRemoteServers(1);
    scratch = await scratchDir('server-edge-load');
    const s = servers[0]!;
    remote = await connectServerEngine(s);
    await ensureBusyboxImage(remote.docker);
    const knownHosts = path.join(scratch.dir, 'known_hosts');
    await writeFile(knownHosts, '');
    engine = createEngine({ dataDir: path.join(scratch.dir, 'data'), ssh: { knownHostsFile: knownHosts } });
    client = createClient(contract, inProcessTransport(engine.router));
    const added = await client.servers.add(trustedServerInput(SERVER, s));
    expect(added.status.state, added.status.reason).toBe('online');
    await client.servers.edgeEnable({
      name: SERVER,
      bind: '127.0.0.1',
      httpPort: HTTP_PORT,
      httpsPort: HTTPS_PORT,
      tls: 'internal',
    });
  });

  afterAll(async () => {
    for (const app of APPS) await client?.apps.delete({ app }).catch(() => undefined);
    // Whatever a failed delete left: every container of these apps on the test's own server.
    for (const app of APPS) {
      const left = await remote?.docker
        .listContainers({ all: true, filters: { label: [`dev.slipway.app=${app}`] } })
        .catch(() => []);
      for (const c of left ?? [])
        await remote.docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
    }
    await client?.servers.edgeDisable({ name: SERVER }).catch(() => undefined);
    await engine?.close();
    await remote?.close();
    if (servers) await stopRemoteServers(servers);
    await scratch?.remove();
  });

  const live = (d: Deployment) => expect(d.phase, JSON.stringify(d.error)).toBe('ACTIVE');

  /** Waits until the deployment is live and has finished after it too: its old instances drained and removed. */
  async function settled(app: string, id: string): Promise<Deployment> {
    const d = await waitForDeployment(client, app, id);
    if (d.phase !== 'ACTIVE') return d;
    return eventually(async () => {
      const now = await client.apps.getDeployment({ app, deployment: id });
      return now.finishedAt ? now : null;
    }, 30_000);
  }

  async function deployRestartRollback(app: string, domain: string, instances: number) {
    await client.apps.create({ specYaml: appSpec(app, domain, instances, `${app}-v1`), server: SERVER });
    const v1 = await deployAndWait(client, app);
    live(v1);
    await eventually(async () => (await edgeGet(domain).catch(() => null))?.body.includes(`${app}-v1`), 20_000);
    const all: Record<string, Figures> = {};

    await client.apps.update({ app, specYaml: appSpec(app, domain, instances, `${app}-v2`) });
    const deploy = await underLoad(domain, async () => settled(app, (await client.apps.deploy({ app })).id));
    live(deploy.result);
    all.deploy = deploy.figures;
    // Live means the edge's route moved: the new page, and only it, from here on.
    expect((await edgeGet(domain)).body.trim()).toBe(`${app}-v2`);
    expect(deploy.figures.pages[`${app}-v2`]).toBeGreaterThan(0);

    const restart = await underLoad(domain, async () => {
      const queued = await client.apps.restart({ app });
      return settled(app, queued.id);
    });
    live(restart.result);
    all.restart = restart.figures;
    expect((await edgeGet(domain)).body.trim()).toBe(`${app}-v2`);

    const rollback = await underLoad(domain, async () => {
      const queued = await client.apps.rollback({ app, deployment: v1.id });
      return settled(app, queued.id);
    });
    live(rollback.result);
    all.rollback = rollback.figures;
    expect((await edgeGet(domain)).body.trim()).toBe(`${app}-v1`);

    console.log(
      `[server-edge-load] ${app}, ${instances} instance(s), ${CLIENTS} clients:\n` +
        Object.entries(all)
          .map(
            ([op, f]) =>
              `  ${op}: ${f.requests} requests, ${f.failed} failed, ${f.ms} ms, pages ${JSON.stringify(f.pages)}` +
              (f.reasons.length ? `\n    ${f.reasons.join('\n    ')}` : ''),
          )
          .join('\n'),
    );
    // Each operation drained its old instances on the edge before stopping them, and said so.
    for (const d of [deploy.result, restart.result, rollback.result]) {
      const lines = await client.apps.readLogs({ app, type: 'deploy', deployment: d.id });
      const drained = lines.map((l) => l.line).filter((l) => l.includes('Draining'));
      console.log(`[server-edge-load] ${app} ${d.cause}: ${drained.join(' | ')}`);
      if (Object.values(all).some((f) => f.failed > 0))
        console.log(lines.map((l) => `    ${l.time} ${l.component ?? ''} ${l.line}`).join('\n'));
      expect(drained.length, d.cause).toBeGreaterThan(0);
    }
    for (const [op, f] of Object.entries(all)) {
      expect({ op, failed: f.failed, reasons: f.reasons }).toEqual({ op, failed: 0, reasons: [] });
      expect(f.requests, op).toBeGreaterThan(0);
      expect(f.coveredOperation, `${op}: the load ended before the operation did`).toBe(true);
    }
    // The old instances are gone once each operation ends: only the live ones run.
    const running = await remote.docker.listContainers({ filters: { label: [`dev.slipway.app=${app}`] } });
    expect(running.map((c) => c.Id).sort()).toEqual([...(rollback.result.containers.web ?? [])].sort());
  }

  it('serves every request through a deploy, a rolling restart and a rollback of 2 instances', async () => {
    await deployRestartRollback('load-two', 'load.example.test', 2);
  });

  it('serves every request through a deploy, a rolling restart and a rollback of 1 instance', async () => {
    await deployRestartRollback('load-one', 'one.load.example.test', 1);
  });
});
