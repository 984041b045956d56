import type { Command } from '../command';
import { print } from '../command';
import { formatTable } from '../io';

export const systemCommands: Command[] = [
  {
    words: ['system', 'info'],
    args: [],
    flags: {},
    summary: "Slipway's version and the local Docker engine's",
    async run(ctx) {
      const info = await ctx.client.system.info();
      print(ctx, info, () =>
        formatTable(
          ['Slipway', 'Docker', 'API', 'OS/Arch', 'Endpoint'],
          [
            [
              info.slipwayVersion,
              info.docker.version,
              info.docker.apiVersion,
              `${info.docker.os}/${info.docker.arch}`,
              info.docker.endpoint,
            ],
          ],
        ),
      );
      return 0;
    },
  },
];
