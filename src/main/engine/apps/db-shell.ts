/*
 * The `dbShell` domain: a database's own client at a terminal, inside the database's running container, on the
 * Docker engine its app runs on (this machine's or a server's, over SSH). The sessions live in db-shell-sessions.ts.
 */
import type { SlipwayContract } from '../../../shared/contract';
import { SlipwayError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/rpc/router';
import { databaseShellCommand } from '../docker/database-options';
import { listDatabaseContainers } from '../docker/databases';
import { dockerStatusOf } from '../docker/docker-errors';
import { startTtyExec, type TtyProcess } from '../docker/tty-exec';
import type { EngineContext } from '../engine-context';
import { loadStoredSpec } from '../store/stored-spec';
import { appOrThrow } from './app-lookup';
import type { DbShellSessions } from './db-shell-sessions';

/** Starts the database's client in its running container; DATABASE_NOT_FOUND when there is none to run it in. */
export async function startDatabaseShell(
  ctx: EngineContext,
  appName: string,
  dbName: string,
  size: { cols: number; rows: number; tty: boolean },
): Promise<TtyProcess> {
  const app = appOrThrow(ctx, appName);
  const db = loadStoredSpec(app.specYaml).spec?.databases?.find((d) => d.name === dbName);
  const refuse = (message: string) => new SlipwayError('DATABASE_NOT_FOUND', message, { app: appName, db: dbName });
  if (!db) throw refuse(`${appName} has no database named ${dbName} in its spec.`);
  const host = await ctx.hostFor(app.server);
  const containers = await listDatabaseContainers(host, ctx.owner, app.name, db.name);
  const running = containers.find((c) => c.State === 'running');
  if (!running) {
    throw refuse(
      containers.length === 0
        ? `${dbName} of ${appName} has no container yet: deploy ${appName} and Slipway starts it.`
        : `${dbName} of ${appName} is not running (${containers[0]!.State}): deploy ${appName} again to start it.`,
    );
  }
  try {
    return await startTtyExec(host.docker.getContainer(running.Id), databaseShellCommand(db), size);
  } catch (err) {
    // Gone or stopped between the listing and the exec.
    if (dockerStatusOf(err) === 404 || dockerStatusOf(err) === 409)
      throw refuse(`${dbName} of ${appName} stopped: deploy it again.`);
    throw err;
  }
}

/** The handlers of the `dbShell` domain over the engine's sessions; `context` opens the engine's state on first need. */
export function dbShellHandlers(
  context: () => Promise<EngineContext>,
  sessions: DbShellSessions,
): Handlers<SlipwayContract>['dbShell'] {
  return {
    open: async ({ app, db, cols, rows, tty }) => {
      const ctx = await context();
      return { session: await sessions.open(() => startDatabaseShell(ctx, app, db, { cols, rows, tty })) };
    },
    output: ({ session }, emit) => sessions.attach(session, emit),
    input: async ({ session, data, end }) => {
      sessions.input(session, Buffer.from(data, 'base64'), end);
      return { ok: true };
    },
    resize: async ({ session, cols, rows }) => {
      await sessions.resize(session, cols, rows);
      return { ok: true };
    },
    close: async ({ session }) => ({ closed: sessions.close(session) }),
  };
}
