import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  FINISHED_PHASES,
  type Deployment,
  type DeploymentStep,
  type LogLine,
  type LogType,
} from '../../shared/deployment';
import { SlipwayError } from '../../shared/errors';
import { joinBacklog, type LiveCursor } from '../../shared/logs/merge-lines';
import { print, type Command, type CommandContext } from '../command';
import {
  appDetailText,
  appsTable,
  deploymentsTable,
  deploymentText,
  logLineText,
  problemsText,
  rollbackPreviewText,
} from './format';

/** `--host-port web=8080` → `{ web: 8080 }` */
function parseHostPorts(values: string[] | undefined): Record<string, number> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const value of values) {
    const match = /^([a-z][a-z0-9-]*)=(\d{1,5})$/.exec(value);
    if (!match)
      throw new SlipwayError('INVALID_REQUEST', `--host-port: "${value}" must be COMPONENT=PORT, e.g. web=8080.`);
    out[match[1]!] = Number(match[2]);
  }
  return out;
}

function required(ctx: CommandContext, name: string): string {
  const value = ctx.args[name];
  if (!value) throw new SlipwayError('INVALID_REQUEST', `${name.toUpperCase()} is required.`);
  return value;
}

/** `--spec` as an absolute path: a spec file, or a folder holding one. */
function specPathFlag(ctx: CommandContext): string {
  const spec = ctx.flags.spec;
  if (typeof spec !== 'string') {
    throw new SlipwayError(
      'INVALID_REQUEST',
      '--spec FILE (or a folder holding .do/app.yaml or app.yaml) is required.',
    );
  }
  return path.resolve(spec);
}

/** Prints every step that changed since the last call, on stderr: progress while waiting. */
function progressPrinter(ctx: CommandContext) {
  const seen = new Map<string, string>();
  const walk = (steps: DeploymentStep[]) => {
    for (const step of steps) {
      const state = `${step.status}${step.reason ?? ''}`;
      if (seen.get(step.name) !== state && step.status !== 'PENDING') {
        seen.set(step.name, state);
        const mark = { RUNNING: '…', SUCCESS: '✓', ERROR: '✗', SKIPPED: '-', PENDING: ' ' }[step.status];
        ctx.io.err(`${mark} ${step.title}${step.reason ? `: ${step.reason}` : ''}`);
      }
      walk(step.steps ?? []);
    }
  };
  return (deployment: Deployment) => walk(deployment.progress);
}

/** How to look at a deployment again, and how to stop it. */
function followHint(app: string, id: string): string {
  return [
    `Follow it:  slipway apps logs ${app} --type build --deployment ${id} --follow`,
    `Status:     slipway apps get-deployment ${app} ${id}`,
    `Cancel it:  slipway apps cancel ${app}`,
  ].join('\n');
}

/** Queues a deployment with `start` and, with --wait, follows it to its end; exit 0 only when it went live. */
async function startAndMaybeWait(ctx: CommandContext, app: string, start: () => Promise<Deployment>): Promise<number> {
  const wait = ctx.flags.wait === true;
  if (!wait) {
    const deployment = await start();
    print(
      ctx,
      deployment,
      () =>
        `Deployment ${deployment.id} queued (${deployment.cause}); it runs on in the background.\n${followHint(app, deployment.id)}`,
    );
    return 0;
  }
  let targetId: string | null = null;
  let settle: (d: Deployment) => void = () => undefined;
  const finished = new Promise<Deployment>((resolve) => (settle = resolve));
  const showProgress = progressPrinter(ctx);
  const early: Deployment[] = [];
  const onDeployment = (d: Deployment) => {
    if (d.id !== targetId) return;
    if (ctx.output === 'text') showProgress(d);
    if (FINISHED_PHASES.includes(d.phase)) settle(d);
  };
  // Subscribe before deploying, so that no step is missed.
  const unsubscribe = await ctx.client.apps.events({ app }, (event) => {
    if (event.type !== 'deployment') return;
    if (targetId === null) early.push(event.deployment);
    else onDeployment(event.deployment);
  });
  try {
    const queued = await start();
    targetId = queued.id;
    if (ctx.output === 'text') ctx.io.err(`Deployment ${queued.id} (${queued.cause})`);
    for (const d of early) onDeployment(d);
    const done = await Promise.race([finished, ctx.interrupted.then(() => null)]);
    if (!done) {
      // Ctrl-C stops the following only: the deployment belongs to the engine and runs on.
      ctx.io.err(`\nStopped following; deployment ${queued.id} runs on.\n${followHint(app, queued.id)}`);
      return 130;
    }
    print(ctx, done, () =>
      done.phase === 'ACTIVE'
        ? `Deployment ${done.id} is live.\n${done.endpoints.map((e) => `${e.component}: ${e.url}`).join('\n')}`
        : deploymentText(done),
    );
    return done.phase === 'ACTIVE' ? 0 : 1;
  } finally {
    unsubscribe();
  }
}

export const appsCommands: Command[] = [
  {
    words: ['apps', 'spec', 'validate'],
    args: ['file'],
    flags: {},
    summary: 'Check an app spec: every error and warning; exit 0 when deployable',
    async run(ctx) {
      const file = required(ctx, 'file');
      const specYaml = await readFile(path.resolve(file), 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new SlipwayError('INVALID_REQUEST', `Cannot read ${file}: ${err.code ?? err.message}`);
      });
      const result = await ctx.client.apps.validateSpec({ specYaml });
      print(ctx, result, () => {
        const lines = [];
        if (result.errors.length) lines.push(problemsText('Error', result.errors));
        if (result.warnings.length) lines.push(problemsText('Warning', result.warnings));
        lines.push(
          result.spec
            ? `${file}: deployable: ${result.spec.components.map((c) => `${c.kind} ${c.name}`).join(', ')}`
            : `${file}: not deployable (${result.errors.length} error(s))`,
        );
        return lines.join('\n');
      });
      return result.spec ? 0 : 1;
    },
  },
  {
    words: ['apps', 'create'],
    args: [],
    flags: {
      spec: { type: 'string', description: 'the app spec file, or its app folder (holding .do/app.yaml or app.yaml)' },
      'host-port': { type: 'string', multiple: true, description: 'a fixed host port for a service: COMPONENT=PORT' },
      server: { type: 'string', description: 'the server it runs on (default: this machine)' },
      'build-mode': {
        type: 'string',
        description: 'on a server: "server" (build there, default) or "local" (build here, ship)',
      },
    },
    summary: 'Create an app from a spec file',
    async run(ctx) {
      const hostPorts = parseHostPorts(ctx.flags['host-port'] as string[] | undefined);
      const buildMode = ctx.flags['build-mode'];
      if (buildMode !== undefined && buildMode !== 'server' && buildMode !== 'local') {
        throw new SlipwayError('INVALID_REQUEST', '--build-mode must be "server" or "local".');
      }
      const app = await ctx.client.apps.create({
        specPath: specPathFlag(ctx),
        ...(hostPorts ? { hostPorts } : {}),
        ...(typeof ctx.flags.server === 'string' ? { server: ctx.flags.server } : {}),
        ...(buildMode ? { buildMode } : {}),
      });
      print(
        ctx,
        app,
        () => `Created ${app.name}. Deploy it with: slipway apps deploy ${app.name} --wait\n\n${appDetailText(app)}`,
      );
      return 0;
    },
  },
  {
    words: ['apps', 'update'],
    args: ['app'],
    flags: {
      spec: { type: 'string', description: 'the new app spec file, or the app folder holding it' },
      'host-port': { type: 'string', multiple: true, description: 'a fixed host port for a service: COMPONENT=PORT' },
    },
    summary: "Replace an app's spec; the next deployment uses it",
    async run(ctx) {
      const hostPorts = parseHostPorts(ctx.flags['host-port'] as string[] | undefined);
      const app = await ctx.client.apps.update({
        app: required(ctx, 'app'),
        specPath: specPathFlag(ctx),
        ...(hostPorts ? { hostPorts } : {}),
      });
      print(ctx, app, () => `Updated ${app.name}.\n\n${appDetailText(app)}`);
      return 0;
    },
  },
  {
    words: ['apps', 'list'],
    args: [],
    flags: {},
    summary: 'List apps',
    async run(ctx) {
      const apps = await ctx.client.apps.list();
      print(ctx, apps, () => appsTable(apps));
      return 0;
    },
  },
  {
    words: ['apps', 'get'],
    args: ['app'],
    flags: {},
    summary: 'Show an app',
    async run(ctx) {
      const app = await ctx.client.apps.get({ app: required(ctx, 'app') });
      print(ctx, app, () => appDetailText(app));
      return 0;
    },
  },
  {
    words: ['apps', 'deploy'],
    args: ['app'],
    flags: {
      'force-rebuild': { type: 'boolean', description: 'build every component, never reuse an image' },
      'clear-cache': { type: 'boolean', description: 'build with no cached layer' },
      wait: { type: 'boolean', description: 'follow the deployment to its end' },
    },
    summary: "Deploy an app's latest source",
    run: (ctx) =>
      startAndMaybeWait(ctx, required(ctx, 'app'), () =>
        ctx.client.apps.deploy({
          app: required(ctx, 'app'),
          source: 'latest',
          forceRebuild: ctx.flags['force-rebuild'] === true || ctx.flags['clear-cache'] === true,
          clearCache: ctx.flags['clear-cache'] === true,
        }),
      ),
  },
  {
    words: ['apps', 'redeploy'],
    args: ['app'],
    flags: { wait: { type: 'boolean', description: 'follow the deployment to its end' } },
    summary: 'Build and deploy the live source revision again',
    run: (ctx) =>
      startAndMaybeWait(ctx, required(ctx, 'app'), () =>
        ctx.client.apps.deploy({
          app: required(ctx, 'app'),
          source: 'same-revision',
          forceRebuild: false,
          clearCache: false,
        }),
      ),
  },
  {
    words: ['apps', 'list-deployments'],
    args: ['app'],
    flags: {},
    summary: "List an app's deployments, newest first",
    async run(ctx) {
      const deployments = await ctx.client.apps.listDeployments({ app: required(ctx, 'app') });
      print(ctx, deployments, () => deploymentsTable(deployments));
      return 0;
    },
  },
  {
    words: ['apps', 'get-deployment'],
    args: ['app', 'deployment'],
    flags: {},
    summary: 'Show a deployment with its steps',
    async run(ctx) {
      const deployment = await ctx.client.apps.getDeployment({
        app: required(ctx, 'app'),
        deployment: required(ctx, 'deployment'),
      });
      print(ctx, deployment, () => deploymentText(deployment));
      return 0;
    },
  },
  {
    words: ['apps', 'logs'],
    args: ['app', 'component?'],
    flags: {
      type: { type: 'string', description: 'build, deploy or run (default: run)' },
      deployment: { type: 'string', description: 'a deployment id (default: the latest; run: the live one)' },
      follow: { type: 'boolean', short: 'f', description: 'keep printing new lines until Ctrl-C' },
      tail: { type: 'string', description: 'only the last N lines' },
    },
    summary: "Print an app's build, deploy or run logs",
    async run(ctx) {
      const type = (ctx.flags.type ?? 'run') as LogType;
      if (!['build', 'deploy', 'run'].includes(type)) {
        throw new SlipwayError('INVALID_REQUEST', `--type must be build, deploy or run, not "${type}".`);
      }
      const request = {
        app: required(ctx, 'app'),
        type,
        ...(ctx.args.component ? { component: ctx.args.component } : {}),
        ...(typeof ctx.flags.deployment === 'string' ? { deployment: ctx.flags.deployment } : {}),
      };
      const tail = typeof ctx.flags.tail === 'string' ? Number(ctx.flags.tail) : undefined;
      const printLine = (line: LogLine) => ctx.io.out(ctx.output === 'json' ? JSON.stringify(line) : logLineText(line));
      const read = () => ctx.client.apps.readLogs({ ...request, ...(tail ? { tail } : {}) });
      if (ctx.flags.follow !== true) {
        for (const line of await read()) printLine(line);
        return 0;
      }
      // The stream opens before the file is read so that no line falls between
      // the two; the join prints the lines both hold once.
      let heard: LogLine[] | null = [];
      let cursor: LiveCursor | undefined;
      const unsubscribe = await ctx.client.apps.followLogs(request, (batch) => {
        if (heard) heard.push(...batch);
        else for (const line of cursor!.take(batch)) printLine(line);
      });
      try {
        const joined = joinBacklog(await read(), heard);
        heard = null;
        cursor = joined.cursor;
        for (const line of joined.lines) printLine(line);
        await ctx.interrupted;
      } finally {
        unsubscribe();
      }
      return 0;
    },
  },
  {
    words: ['apps', 'restart'],
    args: ['app'],
    flags: {
      components: {
        type: 'string',
        description: 'only these components, comma-separated (default: all services and workers)',
      },
      wait: { type: 'boolean', description: 'follow the restart to its end' },
    },
    summary: 'Restart services and workers one instance at a time, without building',
    run: (ctx) => {
      const components =
        typeof ctx.flags.components === 'string' ? ctx.flags.components.split(',').filter(Boolean) : undefined;
      return startAndMaybeWait(ctx, required(ctx, 'app'), () =>
        ctx.client.apps.restart({ app: required(ctx, 'app'), ...(components ? { components } : {}) }),
      );
    },
  },
  {
    words: ['apps', 'rollback'],
    args: ['app'],
    flags: {
      deployment: { type: 'string', description: 'the deployment to go back to (default: the previous one)' },
      diff: { type: 'boolean', description: 'only show what would change: the spec diff and a summary' },
      wait: { type: 'boolean', description: 'follow the rollback to its end' },
    },
    summary: "Deploy an earlier deployment's images and spec again, without building",
    async run(ctx) {
      const request = {
        app: required(ctx, 'app'),
        ...(typeof ctx.flags.deployment === 'string' ? { deployment: ctx.flags.deployment } : {}),
      };
      if (ctx.flags.diff === true) {
        const preview = await ctx.client.apps.rollbackPreview(request);
        print(ctx, preview, () => rollbackPreviewText(preview));
        return 0;
      }
      return startAndMaybeWait(ctx, request.app, () => ctx.client.apps.rollback(request));
    },
  },
  {
    words: ['apps', 'cancel'],
    args: ['app'],
    flags: {},
    summary: 'Cancel the deployment in flight; the live version keeps serving',
    async run(ctx) {
      const d = await ctx.client.apps.cancel({ app: required(ctx, 'app'), by: 'cli' });
      print(ctx, d, () => `Deployment ${d.id} ${d.phase === 'CANCELED' ? 'canceled' : `ended ${d.phase}`}.`);
      return 0;
    },
  },
  {
    words: ['apps', 'kill-build'],
    args: ['app'],
    flags: {},
    summary: "Kill the app's running build step (that app's build only); the deployment ends ERROR",
    async run(ctx) {
      const d = await ctx.client.apps.killBuild({ app: required(ctx, 'app'), by: 'cli' });
      print(ctx, d, () => `Build of deployment ${d.id} killed.`);
      return 0;
    },
  },
  {
    words: ['apps', 'queue'],
    args: ['app'],
    flags: {},
    summary: 'Show the deployment in flight and the waiting ones',
    async run(ctx) {
      const queue = await ctx.client.apps.queue({ app: required(ctx, 'app') });
      print(ctx, queue, () =>
        [
          `Running: ${queue.running ? `${queue.running.id} (${queue.running.cause}, ${queue.running.phase})` : '-'}`,
          ...queue.waiting.map((d, i) => `Waiting #${i + 1}: ${d.id} (${d.cause})`),
        ].join('\n'),
      );
      return 0;
    },
  },
  {
    words: ['apps', 'clean-queue'],
    args: ['app'],
    flags: {},
    summary: 'Drop the waiting deployments (not the running one)',
    async run(ctx) {
      const result = await ctx.client.apps.cleanQueue({ app: required(ctx, 'app'), by: 'cli' });
      print(ctx, result, () => `Dropped ${result.dropped.length} waiting deployment(s).`);
      return 0;
    },
  },
  {
    words: ['apps', 'clear-deployments'],
    args: ['app'],
    flags: {},
    summary: 'Remove old deployment records and logs (never the live one or a rollback target)',
    async run(ctx) {
      const result = await ctx.client.apps.clearDeployments({ app: required(ctx, 'app') });
      print(ctx, result, () => `Removed ${result.removed.length} old deployment(s).`);
      return 0;
    },
  },
  {
    words: ['apps', 'delete'],
    args: ['app'],
    flags: {},
    summary: "Delete an app: its containers, images, network, records and logs (by Slipway's labels only)",
    async run(ctx) {
      const result = await ctx.client.apps.delete({ app: required(ctx, 'app') });
      print(ctx, result, () => `Deleted ${result.deleted}.`);
      return 0;
    },
  },
];
