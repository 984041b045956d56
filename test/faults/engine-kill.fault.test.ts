import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedPort } from '../../src/main/engine/docker/published-port';
import { removeSlipwayResources } from '../support/cleanup';
import { eventually, scratchDir, stopEdgeProcess } from '../support/deploy-fixtures';
import { startTestEngine, type TestEngine } from '../support/engine-process';
import { openDockerGate, type DockerGate } from './support/docker-gate';
import { FaultApp } from './support/fault-app';
import { runFault, FaultScene, type FaultPlan } from './support/fault-run';
import { faultTable } from './support/fault-table';
import {
  allowHealth,
  edgePid,
  killEngine,
  routesPointAt,
  stepStatus,
  waitForBuildStep,
  waitForRecord,
} from './support/phases';

const table = faultTable(__filename);
const rows = {
  building: table.row('engine-kill/1', 'kill -9 of the engine process while building'),
  starting: table.row('engine-kill/2', 'kill -9 of the engine process while starting the new container'),
  health: table.row('engine-kill/3', 'kill -9 of the engine process while health-checking'),
  live: table.row('engine-kill/4', 'kill -9 of the engine process while going live'),
  draining: table.row('engine-kill/5', 'kill -9 of the engine process while draining the previous version'),
};

const docker = new Docker();
const APP = `fk-kill-${randomBytes(3).toString('hex')}`;

describe('kill -9 of the engine process in each phase of a deployment', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let gate: DockerGate;
  let engine: TestEngine;
  let scene: FaultScene;
  const data = () => path.join(scratch.dir, 'data');

  beforeAll(async () => {
    scratch = await scratchDir('fault-kill');
    // The engine reaches Docker through a gate, so a test can hold it in a phase that has no wait of its own.
    gate = await openDockerGate(scratch.dir);
    engine = await startTestEngine(data(), { DOCKER_HOST: gate.dockerHost });
    scene = new FaultScene(engine.client, data(), await FaultApp.create(scratch.dir, APP), docker);
    await scene.deployFirst();
  });

  afterAll(async () => {
    await engine?.client.apps.delete({ app: APP }).catch(() => undefined);
    await engine?.stop();
    await gate?.close();
    if (scratch) await stopEdgeProcess(data());
    await removeSlipwayResources(docker, { app: APP });
    await scratch?.remove();
  });

  /** The kill, then the next call through the relay starts a new engine, which reconciles before it answers. */
  const killed = (plan: Omit<FaultPlan, 'inject' | 'recover' | 'endsBeforeRecovery'> & { afterKill?(): void }) => ({
    ...plan,
    endsBeforeRecovery: false,
    ...(plan.liveAfter === 'previous'
      ? {
          errorSays: {
            check: 'the error says Slipway stopped during the deployment',
            test: (text: string) => /Interrupted: Slipway stopped/.test(text),
          },
        }
      : {}),
    inject: async () => {
      expect(await killEngine(data())).toBeGreaterThan(0);
    },
    recover: async () => {
      plan.afterKill?.();
      await engine.client.engine.status({});
    },
  });

  it('while building: a build step running in Docker', async () => {
    await rows.building.run((report) =>
      runFault(
        report,
        scene,
        killed({
          version: { holdBuild: true },
          reached: async (id) => {
            await waitForBuildStep(engine.client, APP, id, /: RUN i=0; while/);
          },
          liveAfter: 'previous',
        }),
      ),
    );
  });

  it('while starting: the new container created, its start held', async () => {
    await rows.starting.run((report) =>
      runFault(
        report,
        scene,
        killed({
          version: {},
          arm: () => gate.hold({ method: 'POST', path: /^\/containers\/[^/]+\/start$/ }),
          reached: async (id, hold) => {
            await hold!.reached;
            const d = await engine.client.apps.getDeployment({ app: APP, deployment: id });
            expect(stepStatus(d, 'deploy.web.start')).toBe('RUNNING');
          },
          liveAfter: 'previous',
        }),
      ),
    );
  });

  it('while health-checking: a check that keeps failing', async () => {
    await rows.health.run((report) =>
      runFault(
        report,
        scene,
        killed({
          version: { holdHealth: true },
          reached: async (id) => {
            await waitForRecord(engine.client, APP, id, (d) => stepStatus(d, 'deploy.web.wait') === 'RUNNING');
          },
          liveAfter: 'previous',
        }),
      ),
    );
  });

  it('while going live: the new routes written, the edge process not done with them', async () => {
    let edge = 0;
    await rows.live.run((report) =>
      runFault(
        report,
        scene,
        killed({
          version: { holdHealth: true },
          reached: async (id) => {
            const d = await waitForRecord(
              engine.client,
              APP,
              id,
              (x) => stepStatus(x, 'deploy.web.wait') === 'RUNNING',
            );
            const container = d.containers.web![0]!;
            const port = publishedPort(await docker.getContainer(container).inspect());
            // With the edge process paused, the engine stays in the switch, waiting for it to apply the routes.
            edge = await edgePid(data());
            process.kill(edge, 'SIGSTOP');
            await allowHealth(docker, container);
            await waitForRecord(engine.client, APP, id, (x) => stepStatus(x, 'deploy.switch') === 'RUNNING');
            await eventually(() => routesPointAt(data(), port!), 5_000);
          },
          afterKill: () => {
            if (edge) process.kill(edge, 'SIGCONT');
          },
          // It had switched and its container runs: the new engine completes it.
          liveAfter: 'faulted',
        }),
      ),
    );
  });

  it('while draining: the new version live, the stop of the previous one held', async () => {
    const previous = await engine.client.apps.getDeployment({ app: APP, deployment: scene.live.id });
    const ids = Object.values(previous.containers).flat();
    await rows.draining.run((report) =>
      runFault(
        report,
        scene,
        killed({
          version: {},
          arm: () => gate.hold({ method: 'POST', path: new RegExp(`^/containers/(${ids.join('|')})/stop$`) }),
          reached: async (_id, hold) => {
            await hold!.reached;
          },
          liveAfter: 'faulted',
        }),
      ),
    );
  });
});
