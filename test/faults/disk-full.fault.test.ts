import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { FaultApp } from './support/fault-app';
import { FaultScene, runFault } from './support/fault-run';
import { faultTable } from './support/fault-table';
import { SERVER, startServerRig, type ServerRig } from './support/server-rig';

const table = faultTable(__filename);
const rows = {
  build: table.row('disk-full/1', "the server's disk full during a build"),
  load: table.row('disk-full/2', "the server's disk full during an image load (built here, shipped)"),
};

const SUFFIX = randomBytes(3).toString('hex');
const BUILT_THERE = `fk-disk-build-${SUFFIX}`;
const SHIPPED = `fk-disk-load-${SUFFIX}`;
/** The server's Docker data-root: a tmpfs of this size, with room for busybox and a few small versions. */
const DISK_MB = 64;
/** A version with a build step that writes more than the whole disk. */
const full = {
  version: { extraSteps: [`RUN dd if=/dev/zero of=/fill bs=1M count=${DISK_MB + 32}`] },
  endsBeforeRecovery: true,
  liveAfter: 'previous' as const,
  errorSays: { check: 'the error says no space is left', test: (text: string) => /no space left/i.test(text) },
};

describe("a server's disk full during a deployment", () => {
  let rig: ServerRig;
  let builtThere: FaultScene;
  let shipped: FaultScene;

  beforeAll(async () => {
    rig = await startServerRig('fault-disk', { server: { dataRootTmpfsMb: DISK_MB } });
    builtThere = new FaultScene(
      rig.engine.client,
      rig.dataDir,
      await FaultApp.create(rig.dir, BUILT_THERE),
      rig.remote,
      undefined,
      [rig.remote],
    );
    await builtThere.deployFirst({ server: SERVER });
    shipped = new FaultScene(
      rig.engine.client,
      rig.dataDir,
      await FaultApp.create(rig.dir, SHIPPED),
      rig.remote,
      new Docker(),
      [rig.remote],
    );
    await shipped.deployFirst({ server: SERVER, buildMode: 'local' });
  });

  afterAll(async () => {
    await rig?.stop([BUILT_THERE, SHIPPED]);
  });

  it('during a build on the server: a step that writes more than the disk holds', async () => {
    await rows.build.run((report) => runFault(report, builtThere, full));
  });

  it('during an image load: an image larger than the disk, streamed into the server', async () => {
    await rows.load.run((report) => runFault(report, shipped, full));
  });
});
