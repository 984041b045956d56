import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { restartDockerd } from '../support/remote-servers';
import { FaultApp } from './support/fault-app';
import { FaultScene, runFault } from './support/fault-run';
import { faultTable } from './support/fault-table';
import { stepStatus, waitForBuildStep, waitForRecord } from './support/phases';
import { SERVER, startServerRig, type ServerRig } from './support/server-rig';

const table = faultTable(__filename);
const rows = {
  build: table.row('docker-restart/1', "the server's Docker engine restarted mid-build"),
  health: table.row('docker-restart/2', "the server's Docker engine restarted mid-health-check"),
};

const APP = `fk-dockerd-${randomBytes(3).toString('hex')}`;

describe("a server's Docker engine restarted during a deployment", () => {
  let rig: ServerRig;
  let scene: FaultScene;

  beforeAll(async () => {
    // The server's own dockerd: the session's shared engine is never restarted.
    rig = await startServerRig('fault-dockerd');
    const app = await FaultApp.create(rig.dir, APP);
    scene = new FaultScene(rig.engine.client, rig.dataDir, app, rig.remote, undefined, [rig.remote]);
    await scene.deployFirst({ server: SERVER });
  });

  afterAll(async () => {
    await rig?.stop([APP]);
  });

  const restarted = {
    inject: () => restartDockerd(rig.server),
    endsBeforeRecovery: true,
    liveAfter: 'previous' as const,
    errorSays: {
      check: "the error says the server's Docker engine stopped",
      test: (text: string) => /Docker engine/i.test(text) && text.includes(SERVER),
    },
  };

  it('mid-build: a build step running on the server', async () => {
    await rows.build.run((report) =>
      runFault(report, scene, {
        version: { holdBuild: true },
        reached: async (id) => {
          await waitForBuildStep(rig.engine.client, APP, id, /: RUN i=0; while/);
        },
        ...restarted,
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
        ...restarted,
      }),
    );
  });
});
