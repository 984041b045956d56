import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { removeSlipwayResources } from '../support/cleanup';
import { scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';
import { startTestEngine, type TestEngine } from '../support/engine-process';
import { FaultApp } from './support/fault-app';
import { FaultScene, runFault } from './support/fault-run';
import { faultTable } from './support/fault-table';
import { allowHealth, stepStatus, waitForRecord } from './support/phases';

const run = promisify(execFile);
const table = faultTable(__filename);
const rows = {
  full: table.row('data-folder-full/1', 'the data folder on a full disk during a deploy'),
};

const docker = new Docker();
const APP = `fk-datafull-${randomBytes(3).toString('hex')}`;
/** The tmpfs that holds the data folder: room for the state, the logs and the filler. */
const DISK_MB = 16;

/** Fills a file system: 1 MiB writes until none fits, then 4 KiB ones, then single bytes. */
async function fill(file: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      // Bounded: the disk is DISK_MB large.
      for (let i = 0; i < (DISK_MB << 20) / size + 1; i++) {
        try {
          await handle.write(chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    await handle.close();
  }
}

describe('the data folder on a full disk', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let disk: string;
  let engine: TestEngine;
  let scene: FaultScene;
  const data = () => path.join(disk, 'data');
  const filler = () => path.join(disk, 'filler');

  beforeAll(async () => {
    scratch = await scratchDir('fault-datafull');
    disk = path.join(scratch.dir, 'disk');
    await mkdir(disk, { mode: 0o700 });
    await run('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MB}m,mode=0700`, 'tmpfs', disk]);
    engine = await startTestEngine(data());
    scene = new FaultScene(engine.client, data(), await FaultApp.create(scratch.dir, APP), docker);
    await scene.deployFirst();
  });

  afterAll(async () => {
    await engine?.client.apps.delete({ app: APP }).catch(() => undefined);
    await engine?.stop();
    if (disk) {
      await stopEdgeProcess(data());
      await run('umount', [disk]).catch(() => run('umount', ['-l', disk]));
    }
    await removeSlipwayResources(docker, { app: APP });
    await scratch?.remove();
  });

  it('fills the disk while the new version is health-checked, then lets it go on', async () => {
    await rows.full.run((report) =>
      runFault(report, scene, {
        version: { holdHealth: true },
        reached: async (id) => {
          const d = await waitForRecord(engine.client, APP, id, (x) => stepStatus(x, 'deploy.web.wait') === 'RUNNING');
          await fill(filler());
          await allowHealth(docker, d.containers.web![0]!);
        },
        recover: () => rm(filler(), { force: true }),
        endsBeforeRecovery: true,
        liveAfter: 'previous',
        errorSays: {
          check: "the error says the data folder's disk is full",
          test: (text) => /no space left|disk is full/i.test(text) && text.includes(data()),
        },
      }),
    );
  });
});
