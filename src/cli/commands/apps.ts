import path from 'node:path';
import { SlipwayError } from '../../shared/errors';
import { readSpecFile } from '../../main/engine/apps/spec-file';
import { resolveSpecFile, sourceRootForSpec } from '../../main/engine/apps/source-path';
import { print, type Command } from '../command';
import { parseHostPorts, required, specPathFlag } from './arguments';
import { databaseCommands } from './apps-databases';
import { deploymentCommands } from './apps-deployments';
import { rollbackPinCommands } from './apps-rollback-pin';
import { logsCommand } from './apps-logs';
import { specPlanCommand } from './apps-spec-plan';
import { appDetailText, appsTable, problemsText } from './format';

export const appsCommands: Command[] = [
  {
    words: ['apps', 'spec', 'validate'],
    args: ['file'],
    flags: {},
    summary: 'Check an app spec: every error and warning; exit 0 when deployable',
    async run(ctx) {
      const file = required(ctx, 'file');
      const specFile = await resolveSpecFile(path.resolve(file));
      const specYaml = await readSpecFile(specFile);
      // With its folder, a component Slipway cannot build from it is reported too.
      const result = await ctx.client.apps.validateSpec({ specYaml, sourcePath: sourceRootForSpec(specFile) });
      print(ctx, result, () => {
        const lines = [];
        if (result.errors.length) lines.push(problemsText('Error', result.errors));
        if (result.warnings.length) lines.push(problemsText('Warning', result.warnings));
        lines.push(
          result.spec
            ? `${file}: deployable: ${[
                ...result.spec.components.map((c) => `${c.kind} ${c.name}`),
                ...result.spec.databases.map((d) => `database ${d.name} (${d.engine} ${d.version})`),
              ].join(', ')}`
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
      name: { type: 'string', description: "the app's name, when it is not the spec's (the spec file stays as it is)" },
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
        ...(typeof ctx.flags.name === 'string' ? { name: ctx.flags.name } : {}),
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
  ...deploymentCommands,
  ...databaseCommands,
  ...rollbackPinCommands,
  logsCommand,
  specPlanCommand,
  {
    words: ['apps', 'delete'],
    args: ['app'],
    flags: {
      'delete-data': { type: 'boolean', description: "also delete its databases' data volumes (kept by default)" },
    },
    summary: "Delete an app: its containers, images, network, records and logs (by Slipway's labels only)",
    async run(ctx) {
      const result = await ctx.client.apps.delete({
        app: required(ctx, 'app'),
        deleteData: ctx.flags['delete-data'] === true,
      });
      print(ctx, result, () => deletedText(result));
      return 0;
    },
  },
];

/** What `apps delete` says: what went, and which data volumes stay and how to remove them. */
function deletedText(result: { deleted: string; volumes: { kept: string[]; removed: string[] } }): string {
  const lines = [`Deleted ${result.deleted}.`];
  if (result.volumes.removed.length > 0) lines.push(`Deleted its data: ${result.volumes.removed.join(', ')}.`);
  if (result.volumes.kept.length > 0) {
    lines.push(
      `Kept its data on ${result.volumes.kept.join(', ')}: an app created again under this name finds it, with its credentials. To delete the data as well, create the app again and run: slipway apps delete ${result.deleted} --delete-data`,
    );
  }
  return lines.join('\n');
}
