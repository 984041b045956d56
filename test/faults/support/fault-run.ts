import type Docker from 'dockerode';
import type { contract } from '../../../src/shared/contract';
import { FINISHED_PHASES, type DeploymentPhase } from '../../../src/shared/deployment';
import type { Client } from '../../../src/shared/rpc/client';
import { deployAndWait } from '../../support/deploy-fixtures';
import { checkAfterwards, checkNextDeploy, danglingImages } from './afterwards';
import type { Hold } from './docker-gate';
import type { FaultApp, VersionOptions } from './fault-app';
import { Finding, type FaultReport } from './fault-table';
import { waitForRecord } from './phases';

type SlipwayClient = Client<typeof contract>;

/** One app under test and what is known of it: its URL, its live version, every deployment it had. */
export class FaultScene {
  url = '';
  live = { id: '', body: '' };
  readonly history: string[] = [];

  constructor(
    readonly client: SlipwayClient,
    readonly dataDir: string,
    readonly app: FaultApp,
    /** The Docker engine the app runs on. */
    readonly docker: Docker,
    /** Where its images are built when that is another engine (built here, shipped). */
    readonly builder?: Docker,
    /** Engines only this test uses, whose dangling images are compared before and after each fault. */
    readonly privateEngines: Docker[] = [],
  ) {}

  /** Creates the app (on `server`, built there or here) and deploys its first version. */
  async deployFirst(options: { server?: string; buildMode?: 'server' | 'local' } = {}): Promise<void> {
    const body = await this.app.nextVersion();
    await this.client.apps.create({ specPath: this.app.specPath, ...options });
    const first = await deployAndWait(this.client, this.app.name);
    if (first.phase !== 'ACTIVE') throw new Error(`the first deploy failed: ${JSON.stringify(first.error)}`);
    this.url = first.endpoints[0]!.url;
    this.live = { id: first.id, body };
    this.history.push(first.id);
  }
}

/** How one fault hits a deployment, and how the world comes back from it. */
export interface FaultPlan {
  /** The version deployed into the fault, made to stay in a phase if need be. */
  version: VersionOptions;
  /** Arms a hold on the engine's Docker calls before the deploy starts. */
  arm?(): Hold;
  /** Resolves once the deployment is where the fault must hit it. */
  reached?(id: string, hold: Hold | undefined): Promise<void>;
  /** The fault itself. */
  inject?(id: string): Promise<void>;
  /** Brings back what the fault took (an engine, an SSH server). */
  recover?(): Promise<void>;
  /** True when the engine sees the fault and ends the deployment by itself, before anything is brought back. */
  endsBeforeRecovery: boolean;
  /** Whether the faulted deployment is live afterwards (it had switched) or the previous version stays. */
  liveAfter: 'previous' | 'faulted';
  /** The phase the faulted deployment must end in; ERROR, or ACTIVE when it goes live. */
  faultedPhases?: DeploymentPhase[];
  /** What the error must tell the user (checked on its message and last output lines). */
  errorSays?: { check: string; test(text: string): boolean };
}

/**
 * Lines Slipway and Docker's builder add around the output (a build log's
 * closing line repeats the error): never what went wrong.
 */
function isBookkeeping(line: string): boolean {
  // eslint-disable-next-line no-control-regex
  const text = line.replace(/\x1b\[[0-9;]*m/g, '').trim();
  return (
    /^(Deployment failed|Build (failed|canceled|killed|interrupted)|Removing |-+> |Step \d+\/\d+ : |Successfully )/.test(
      text,
    ) || text === ''
  );
}

/**
 * Deploys the next version into a fault, records what the user is shown,
 * checks the aftermath (live version serving, records and logs whole,
 * nothing left behind), then checks that the next deploy works.
 */
export async function runFault(report: FaultReport, scene: FaultScene, plan: FaultPlan): Promise<void> {
  const { client, app } = scene;
  report.alias(app.name, '<app>');
  const body = await app.nextVersion(plan.version);
  await client.apps.update({ app: app.name, specPath: app.specPath });
  const danglingBefore = await Promise.all(
    scene.privateEngines.map(async (docker) => ({ docker, ids: await danglingImages(docker) })),
  );
  const hold = plan.arm?.();
  const queued = await client.apps.deploy({ app: app.name });
  try {
    await plan.reached?.(queued.id, hold);
    await plan.inject?.(queued.id);
  } finally {
    hold?.release();
  }

  const ended = async () => {
    // The phase, not `finishedAt`: whether every deployment got its end time is one of the checks.
    const d = await waitForRecord(client, app.name, queued.id, (x) => FINISHED_PHASES.includes(x.phase), 90_000);
    report.sees(`the deployment ends ${d.phase}${d.error ? `: "${d.error.message}"` : ''}`);
    // The output line that says what went wrong, when the error only names the step.
    const output = d.error?.lastLogLines?.filter((l) => l !== d.error?.message && !isBookkeeping(l)) ?? [];
    const cause = output.filter((l) => /error|fail|denied|no space|refused|killed/i.test(l)).at(-1) ?? output.at(-1);
    if (cause) report.sees(`its output says: "${cause}"`);
    const says = plan.errorSays;
    if (says) {
      await report.check(says.check, () => {
        if (!says.test([d.error?.message ?? '', ...output].join('\n'))) throw new Finding('it does not');
      });
    }
  };
  const status = async (when: string) => {
    report.sees(`${when} the app shows ${(await client.apps.get({ app: app.name })).status}`);
  };
  if (plan.endsBeforeRecovery) {
    await ended();
    await status('meanwhile');
    await plan.recover?.();
  } else {
    await plan.recover?.();
    await ended();
  }

  const liveAfter = plan.liveAfter === 'faulted' ? { id: queued.id, body } : scene.live;
  await checkAfterwards(report, {
    client,
    dataDir: scene.dataDir,
    app: app.name,
    docker: scene.docker,
    builder: scene.builder,
    faulted: { id: queued.id, phases: plan.faultedPhases ?? (plan.liveAfter === 'faulted' ? ['ACTIVE'] : ['ERROR']) },
    live: liveAfter,
    url: scene.url,
    before: [...scene.history],
    danglingBefore,
  });
  await status('afterwards');
  scene.history.push(queued.id);
  scene.live = liveAfter;

  const next = await app.nextVersion();
  await client.apps.update({ app: app.name, specPath: app.specPath });
  const done = await checkNextDeploy(report, client, app.name, next);
  if (done) {
    scene.history.push(done.id);
    scene.live = { id: done.id, body: next };
  }
}
