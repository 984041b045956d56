import { print, type Command } from '../command';
import { required } from './arguments';
import { dbShellCommand } from './apps-db-shell';
import { databasesTable } from './format';

/** `apps db list` and `apps db credentials`: an app's databases, and one's credentials when asked by name. */
export const databaseCommands: Command[] = [
  {
    words: ['apps', 'db', 'list'],
    args: ['app'],
    flags: {},
    summary: "List an app's databases: engine, health and data volume",
    async run(ctx) {
      const databases = await ctx.client.databases.list({ app: required(ctx, 'app') });
      print(ctx, databases, () => (databases.length === 0 ? 'This app has no databases.' : databasesTable(databases)));
      return 0;
    },
  },
  {
    words: ['apps', 'db', 'credentials'],
    args: ['app', 'db'],
    flags: {},
    summary: "Print a database's credentials, password included (for you to connect a tool)",
    async run(ctx) {
      const c = await ctx.client.databases.credentials({ app: required(ctx, 'app'), db: required(ctx, 'db') });
      print(ctx, c, () =>
        [
          `Database: ${c.name} (${c.engine})`,
          `Host:     ${c.host} (on the app's network)`,
          `Port:     ${c.port}`,
          `User:     ${c.username}`,
          `Password: ${c.password}`,
          `Database: ${c.database}`,
          `URL:      ${c.url}`,
        ].join('\n'),
      );
      return 0;
    },
  },
  dbShellCommand,
];
