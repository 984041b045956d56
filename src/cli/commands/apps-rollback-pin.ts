import { SlipwayError } from '../../shared/errors';
import { print, type Command } from '../command';
import { required } from './arguments';
import { startAndMaybeWait } from './follow-deployment';
import { problemsText } from './format';

/** The commands that settle a pinned rollback (after DigitalOcean's rollback commit, revert and validate). */
export const rollbackPinCommands: Command[] = [
  {
    words: ['apps', 'commit-rollback'],
    args: ['app'],
    flags: {},
    summary: 'Keep the pinned rollback and unpin: the next deploy starts from it',
    async run(ctx) {
      const app = await ctx.client.apps.commitRollback({ app: required(ctx, 'app') });
      print(
        ctx,
        app,
        () =>
          `Committed the rollback of ${app.name}; deploys are allowed again.${app.specFile ? ` The next deploy reads ${app.specFile.path} again.` : ''}`,
      );
      return 0;
    },
  },
  {
    words: ['apps', 'revert-rollback'],
    args: ['app'],
    flags: { wait: { type: 'boolean', description: 'follow the revert to its end' } },
    summary: 'Deploy again what was live before the pinned rollback (its images, no build) and unpin',
    run: (ctx) =>
      startAndMaybeWait(ctx, required(ctx, 'app'), () => ctx.client.apps.revertRollback({ app: required(ctx, 'app') })),
  },
  {
    words: ['apps', 'validate-rollback'],
    args: ['app'],
    flags: { deployment: { type: 'string', description: 'the deployment a rollback would go to' } },
    summary: 'Check whether a rollback to a deployment would be accepted, without deploying',
    async run(ctx) {
      const deployment = ctx.flags.deployment;
      if (typeof deployment !== 'string' || !deployment) {
        throw new SlipwayError('INVALID_REQUEST', '--deployment: give the deployment a rollback would go to.');
      }
      const result = await ctx.client.apps.validateRollback({ app: required(ctx, 'app'), deployment });
      print(ctx, result, () =>
        [
          result.valid
            ? `A rollback to ${deployment} is valid.`
            : `A rollback to ${deployment} is not valid: ${result.error?.message ?? ''}`,
          ...(result.warnings.length ? [problemsText('Warning', result.warnings)] : []),
        ].join('\n'),
      );
      return result.valid ? 0 : 1;
    },
  },
];
