import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
  httpGet,
  scratchDir,
  stopEdgeProcess,
  writeSiteApp,
} from '../support/deploy-fixtures';
import {
  connectServerEngine,
  startRemoteServers,
  stopRemoteServers,
  trustedServerInput,
  type RemoteServer,
} from '../support/remote-servers';

const APP = 'own-shared';

/** One installation: its own data folder, engine and client, with the test server added. */
interface Installation {
  data: string;
  engine: Engine;
  client: Client<typeof contract>;
}

describe('two installations deploying to one server', () => {
  let servers: RemoteServer[];
  let remote: SshDockerHost;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  const installations: Installation[] = [];

  const open = async (name: string): Promise<Installation> => {
    const data = path.join(scratch.dir, name);
    const knownHosts = path.join(scratch.dir, `${name}-known_hosts`);
    await writeFile(knownHosts, '');
    const engine = createEngine({
      dataDir: data,
      edgeProcess: { script: EDGE_SCRIPT },
      ssh: { knownHostsFile: knownHosts },
    });
    const client = createClient(contract, inProcessTransport(engine.router));
    await engine.start();
    return { data, engine, client };
  };

  const containersOfApp = async () =>
    (await remote.docker.listContainers({ all: true, filters: { label: [`${LABELS.app}=${APP}`] } })).map((c) => ({
      id: c.Id,
      state: c.State,
      owner: c.Labels[LABELS.owner],
    }));

  beforeAll(async () => {
    servers = await startRemoteServers(1);
    scratch = await scratchDir('owners');
    const s = servers[0]!;
    remote = await connectServerEngine(s);
    await ensureBusyboxImage(remote.docker);
    const dir = await writeSiteApp(scratch.dir, { name: APP, page: 'first installation\n' });
    for (const name of ['first', 'second']) {
      const installation = await open(name);
      installations.push(installation);
      const added = await installation.client.servers.add(trustedServerInput('shared', s));
      expect(added.status.state, added.status.reason).toBe('online');
      await installation.client.apps.create({ specPath: path.join(dir, 'app.yaml'), server: 'shared' });
    }
  });

  afterAll(async () => {
    for (const { client, engine, data } of installations) {
      await client.apps.delete({ app: APP }).catch(() => undefined);
      await engine.close();
      await stopEdgeProcess(data);
    }
    if (remote) await removeSlipwayResources(remote.docker, { app: APP });
    await remote?.close();
    if (servers) await stopRemoteServers(servers);
    await scratch?.remove();
  });

  it("refuses the second installation's app of the same name, and never touches the first's", async () => {
    const [first, second] = installations as [Installation, Installation];
    const firstId = (await readFile(path.join(first.data, 'installation-id'), 'utf8')).trim();
    const live = await deployAndWait(first.client, APP);
    expect(live.phase, live.error?.message).toBe('ACTIVE');
    const before = await containersOfApp();
    expect(before).toEqual([{ id: expect.any(String), state: 'running', owner: firstId }]);

    const refused = await deployAndWait(second.client, APP);
    expect(refused.phase).toBe('ERROR');
    expect(refused.error?.code).toBe('APP_EXISTS');
    expect(refused.error?.message).toContain(
      `Server shared already runs an app named ${APP} for another Slipway installation (owner ${firstId})`,
    );
    expect(await containersOfApp()).toEqual(before);

    // The second installation starts again (it reconciles), then deletes its app: the first's stays.
    await second.engine.close();
    const reopened = await open('second');
    installations[1] = reopened;
    expect((await reopened.client.apps.get({ app: APP })).status).not.toBe('live');
    await reopened.client.apps.delete({ app: APP });
    expect(await containersOfApp()).toEqual(before);
    const url = live.endpoints[0]!.url;
    expect((await httpGet(url)).body).toBe('first installation\n');
  });
});
