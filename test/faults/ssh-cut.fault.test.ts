import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { killSshd, restartSshd } from '../support/remote-servers';
import { FaultApp } from './support/fault-app';
import { FaultScene, runFault } from './support/fault-run';
import { faultTable } from './support/fault-table';
import { stepStatus, waitForRecord } from './support/phases';
import { SERVER, startServerRig, type ServerRig } from './support/server-rig';

const table = faultTable(__filename);
const rows = {
  ship: table.row('ssh-cut/1', 'the SSH connection cut mid-ship (built here, streamed to the server)'),
  health: table.row('ssh-cut/2', 'the SSH connection cut mid-health-check'),
};

const APP = `fk-ssh-${randomBytes(3).toString('hex')}`;

describe("the server's SSH connection cut during a deployment", () => {
  let rig: ServerRig;
  let scene: FaultScene;

  beforeAll(async () => {
    // Built on this machine through a gate, so the ship can be held half-way.
    rig = await startServerRig('fault-ssh', { gate: true });
    const app = await FaultApp.create(rig.dir, APP);
    scene = new FaultScene(rig.engine.client, rig.dataDir, app, rig.remote, new Docker(), [rig.remote]);
    await scene.deployFirst({ server: SERVER, buildMode: 'local' });
  });

  afterAll(async () => {
    await rig?.stop([APP]);
  });

  /** The server's sshd and every connection it serves killed, then started again once the deployment has ended. */
  const cut = {
    inject: () => killSshd(rig.server),
    recover: async () => {
      await restartSshd(rig.server);
      await rig.online();
    },
    endsBeforeRecovery: true,
    liveAfter: 'previous' as const,
    errorSays: {
      check: 'the error says the connection to the server was lost',
      test: (text: string) => text.includes(`connection to ${SERVER} was lost`),
    },
  };

  it('mid-ship: the image half streamed into the server', async () => {
    await rows.ship.run((report) =>
      runFault(report, scene, {
        version: {},
        // `docker save` on this machine pauses after its first 256 KiB: the server has part of the image.
        arm: () => rig.gate!.holdAnswer({ method: 'GET', path: /^\/images\/.+\/get$/ }, 256 * 1024),
        reached: async (_id, hold) => {
          await hold!.reached;
        },
        ...cut,
      }),
    );
  });

  it('mid-health-check: a check that keeps failing', async () => {
    await rows.health.run((report) =>
      runFault(report, scene, {
        version: { holdHealth: true },
        reached: async (id) => {
          await waitForRecord(rig.engine.client, APP, id, (d) => stepStatus(d, 'deploy.web.wait') === 'RUNNING');
        },
        ...cut,
      }),
    );
  });
});
