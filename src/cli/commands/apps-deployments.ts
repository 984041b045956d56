import { print, type Command, type CommandContext } from '../command';
import { required } from './arguments';
import { startAndMaybeWait } from './follow-deployment';
import { deploymentsTable, deploymentText, rollbackPreviewText } from './format';

/** `--title` and `--description` of deploy and redeploy, as the contract takes them (it checks their bounds). */
const noteFlags = {
  title: {
    type: 'string',
    description: 'what to call this deployment (default: "Manual deployment" / "Rebuild deployment")',
  },
  description: { type: 'string', description: 'a note shown in the history and as the first line of the deploy log' },
} as const;

function notes(ctx: CommandContext): { title?: string; description?: string } {
  const { title, description } = ctx.flags;
  return {
    ...(typeof title === 'string' ? { title } : {}),
    ...(typeof description === 'string' ? { description } : {}),
  };
}

/** The commands that start, follow and stop an app's deployments. */
export const deploymentCommands: Command[] = [
  {
    words: ['apps', 'deploy'],
    args: ['app'],
    flags: {
      'force-rebuild': { type: 'boolean', description: 'build every component, never reuse an image' },
      'clear-cache': { type: 'boolean', description: 'build with no cached layer' },
      wait: { type: 'boolean', description: 'follow the deployment to its end' },
      ...noteFlags,
    },
    summary: "Deploy an app's latest source",
    run: (ctx) =>
      startAndMaybeWait(ctx, required(ctx, 'app'), () =>
        ctx.client.apps.deploy({
          app: required(ctx, 'app'),
          source: 'latest',
          forceRebuild: ctx.flags['force-rebuild'] === true || ctx.flags['clear-cache'] === true,
          clearCache: ctx.flags['clear-cache'] === true,
          ...notes(ctx),
        }),
      ),
  },
  {
    words: ['apps', 'redeploy'],
    args: ['app'],
    flags: { wait: { type: 'boolean', description: 'follow the deployment to its end' }, ...noteFlags },
    summary: 'Build and deploy the live source revision again',
    run: (ctx) =>
      startAndMaybeWait(ctx, required(ctx, 'app'), () =>
        ctx.client.apps.deploy({
          app: required(ctx, 'app'),
          source: 'same-revision',
          forceRebuild: false,
          clearCache: false,
          ...notes(ctx),
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
      'skip-pin': { type: 'boolean', description: 'do not pin the app to the rollback (deploys stay allowed)' },
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
      const skipPin = ctx.flags['skip-pin'] === true;
      return startAndMaybeWait(ctx, request.app, () => ctx.client.apps.rollback({ ...request, skipPin }));
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
];
