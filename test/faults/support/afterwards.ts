import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { contract } from '../../../src/shared/contract';
import type { Deployment, DeploymentPhase, DeploymentStep } from '../../../src/shared/deployment';
import { FINISHED_PHASES } from '../../../src/shared/deployment';
import { LABELS } from '../../../src/shared/labels';
import type { Client } from '../../../src/shared/rpc/client';
import { createdLayer } from '../../../src/main/engine/docker/build-layers';
import { leftoversOf } from '../../support/engine-checks';
import { eventually, httpGet, waitForDeployment } from '../../support/deploy-fixtures';
import { Finding, type FaultReport } from './fault-table';

type SlipwayClient = Client<typeof contract>;

/** What must hold after a fault, and where to look. */
export interface Aftermath {
  client: SlipwayClient;
  dataDir: string;
  app: string;
  /** The Docker engine the app runs on. */
  docker: Docker;
  /** Where its images are built, when that is another engine (built here, shipped to a server). */
  builder?: Docker;
  /** The deployment the fault hit, and the phases it may end in. */
  faulted: { id: string; phases: DeploymentPhase[] };
  /** The deployment that must be live afterwards, and the page it serves at the app's stable URL. */
  live: { id: string; body: string };
  /** Where the app answers: a service's port is the app's for good, whichever version serves it. */
  url: string;
  /** Every deployment of the app before the fault: none may be lost. */
  before: string[];
  /** Dangling images of engines only this test uses, taken before the fault: none may be added. */
  danglingBefore?: Array<{ docker: Docker; ids: Set<string> }>;
}

/** The dangling (untagged, unused) images of an engine. */
export async function danglingImages(docker: Docker): Promise<Set<string>> {
  const images = await docker.listImages({ all: false, filters: { dangling: ['true'] } });
  return new Set(images.map((i) => i.Id));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Steps anywhere in a tree that never ended. */
function openSteps(steps: DeploymentStep[] | undefined): string[] {
  return (steps ?? []).flatMap((s) => [
    ...(['RUNNING', 'PENDING'].includes(s.status) ? [s.name] : []),
    ...openSteps(s.steps),
  ]);
}

/** The live version serves, the records and logs are whole, and nothing of the faulted deployment is left. */
export async function checkAfterwards(report: FaultReport, a: Aftermath): Promise<void> {
  const live = await a.client.apps.getDeployment({ app: a.app, deployment: a.live.id });
  const serving =
    a.faulted.id === a.live.id
      ? "the version it switched to serves the app's URL"
      : "the previous version still serves the app's URL";
  await report.check(serving, async () => {
    // Routes come back with reconciliation, which a lost connection or a restarted engine may still be running.
    await eventually(async () => (await httpGet(a.url, 2000).catch(() => null))?.body === a.live.body, 20_000).catch(
      async () => {
        const got = await httpGet(a.url, 2000).catch(() => ({ status: 0, body: '' }));
        const what =
          got.status === 0
            ? 'nothing'
            : got.body === a.live.body
              ? 'its page, late'
              : got.status === 200
                ? "with a page that is not the live version's"
                : `${got.status}`;
        throw new Finding(`the app's URL answers ${what}`, `it served ${JSON.stringify(got.body.slice(0, 80))}`);
      },
    );
  });

  await report.check('the state file is whole and lost no deployment', async () => {
    const aside = (await readdir(a.dataDir)).filter((name) => name.endsWith('.tmp'));
    if (aside.length > 0)
      throw new Finding(`${plural(aside.length, 'half-written copy', 'half-written copies')} left in the data folder`);
    const text = await readFile(path.join(a.dataDir, 'state.json'), 'utf8');
    let state: { apps: Array<{ name: string }>; deployments: Deployment[] };
    try {
      state = JSON.parse(text) as typeof state;
    } catch {
      throw new Finding('state.json does not parse');
    }
    if (!state.apps.some((x) => x.name === a.app)) throw new Finding('the app is missing from state.json');
    const ids = new Set(state.deployments.map((d) => d.id));
    const lost = [...a.before, a.faulted.id].filter((id) => !ids.has(id));
    if (lost.length > 0) throw new Finding(`${plural(lost.length, 'deployment')} missing from state.json`);
  });

  const deployments = await a.client.apps.listDeployments({ app: a.app });
  await report.check('every deployment ended, with no step left running', () => {
    const unfinished = deployments.filter((d) => !FINISHED_PHASES.includes(d.phase) || !d.finishedAt);
    const open = deployments.filter((d) => openSteps(d.progress).length > 0);
    const active = deployments.filter((d) => d.phase === 'ACTIVE').map((d) => d.id);
    const faulted = deployments.find((d) => d.id === a.faulted.id);
    const problems = [
      ...(unfinished.length ? [`${plural(unfinished.length, 'deployment')} never finished`] : []),
      ...(open.length
        ? [`steps still open: ${[...new Set(open.flatMap((d) => openSteps(d.progress)))].join(', ')}`]
        : []),
      ...(active.length !== 1 || active[0] !== a.live.id ? [`the ACTIVE deployment is not the expected one`] : []),
      ...(live.endpoints.length === 0 ? ['the live deployment records no URL'] : []),
      ...(faulted && !a.faulted.phases.includes(faulted.phase)
        ? [`the faulted deployment ended ${faulted.phase}, not ${a.faulted.phases.join(' or ')}`]
        : []),
    ];
    if (problems.length > 0) throw new Finding(problems.join('; '));
  });

  await report.check('the logs are readable', async () => {
    const torn: string[] = [];
    for (const id of [...a.before, a.faulted.id]) {
      const file = path.join(a.dataDir, 'logs', a.app, `${id}.jsonl`);
      const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
      // A last line cut short by a crash is skipped by the reader, by design; any other must parse.
      const bad = lines.slice(0, -1).filter((line) => !parses(line));
      if (bad.length > 0) torn.push(id);
    }
    if (torn.length > 0) throw new Finding(`${plural(torn.length, 'log file')} with unreadable lines`);
    const build = await a.client.apps.readLogs({ app: a.app, type: 'build', deployment: a.faulted.id });
    const deploy = await a.client.apps.readLogs({ app: a.app, type: 'deploy', deployment: a.faulted.id });
    if (build.length + deploy.length === 0) throw new Finding("the faulted deployment's log is empty");
  });

  await report.check('nothing of the faulted deployment is left behind', async () => {
    const buildLog = (await a.client.apps.readLogs({ app: a.app, type: 'build', deployment: a.faulted.id })).map(
      (l) => l.line,
    );
    const keep = new Set(Object.values(live.containers).flat());
    const remaining = async () => {
      const found: string[] = [];
      const engines = a.builder
        ? [
            { docker: a.docker, where: ' on the server' },
            { docker: a.builder, where: ' on this machine (the builder)' },
          ]
        : [{ docker: a.docker, where: '' }];
      for (const { docker, where } of engines) {
        const own = await leftoversOf(docker, a.app, a.faulted.id);
        if (a.faulted.id !== a.live.id) {
          if (own.containers.length) found.push(`${plural(own.containers.length, 'container')}${where}`);
          if (own.images.length) found.push(`${plural(own.images.length, 'image tag')}${where}`);
        }
        const labelled = await docker.listContainers({ all: true, filters: { label: [`${LABELS.app}=${a.app}`] } });
        const stray = labelled.filter((c) => !keep.has(c.Id) && c.Labels[LABELS.deployment] !== a.faulted.id);
        if (stray.length) found.push(`${plural(stray.length, 'container')} of an earlier version${where}`);
      }
      const builder = a.builder ?? a.docker;
      const layers = buildLog.flatMap((line, i) => createdLayer(buildLog[i - 1] ?? '', line) ?? []);
      const steps = buildLog.flatMap((line) => /^ ---> Running in ([0-9a-f]{12})$/.exec(line.trimEnd())?.[1] ?? []);
      // Layers under a tag still there are counted as that tag; the faulted build's own are checked when it is not live.
      const tagged = found.some((f) => f.includes('image tag') && (!a.builder || f.includes('builder')));
      const layersLeft =
        a.faulted.id === a.live.id || tagged
          ? 0
          : (await Promise.all(layers.map((id) => exists(builder.getImage(id).inspect())))).filter(Boolean).length;
      if (layersLeft) found.push(`${plural(layersLeft, 'layer')} its build made (untagged, unlabelled)`);
      const stepsLeft = (await Promise.all(steps.map((id) => exists(builder.getContainer(id).inspect())))).filter(
        Boolean,
      ).length;
      if (stepsLeft) found.push(plural(stepsLeft, 'build step container'));
      for (const { docker, ids } of a.danglingBefore ?? []) {
        const added = [...(await danglingImages(docker))].filter((id) => !ids.has(id)).length;
        if (added) found.push(`${plural(added, 'new dangling image')} on the server`);
      }
      return found;
    };
    // Removal may still be under way for a moment after the engine answers (a build step's container).
    let found: string[] = [];
    await eventually(async () => (found = await remaining()).length === 0, 10_000).catch(() => undefined);
    if (found.length > 0) throw new Finding(`left: ${found.join(', ')}`);
  });
}

/** Deploys the next version and checks that it goes live and serves its page. */
export async function checkNextDeploy(
  report: FaultReport,
  client: SlipwayClient,
  app: string,
  body: string,
): Promise<Deployment | null> {
  let done: Deployment | null = null;
  await report.check('the next deploy goes live', async () => {
    const queued = await client.apps.deploy({ app });
    const d = await waitForDeployment(client, app, queued.id);
    if (d.phase !== 'ACTIVE') throw new Finding(`it ended ${d.phase}: ${d.error?.message ?? ''}`);
    const answer = await httpGet(d.endpoints[0]!.url);
    if (answer.body !== body) throw new Finding('it went live but does not serve its page');
    done = d;
  });
  return done;
}

function parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function exists(inspect: Promise<unknown>): Promise<boolean> {
  return inspect.then(
    () => true,
    () => false,
  );
}
