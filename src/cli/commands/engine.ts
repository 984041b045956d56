import type { EngineStatus } from '../../shared/domains/engine';
import { SlipwayError } from '../../shared/errors';
import { print, type Command, type CommandContext } from '../command';

const STOP_TIMEOUT_MS = 30_000;

function statusText(status: EngineStatus): string {
  if (!status.running)
    return [`Engine:    not running`, `Socket:    ${status.socket}`, `Log:       ${status.log}`].join('\n');
  return [
    `Engine:    running (pid ${status.pid}, version ${status.version})${status.stopping ? ', stopping' : ''}`,
    `Socket:    ${status.socket}`,
    `Clients:   ${status.clients} (this command included)`,
    `In flight: ${status.inFlight}`,
    `Log:       ${status.log}`,
  ].join('\n');
}

const notRunning = (ctx: CommandContext): EngineStatus => ({
  running: false,
  pid: null,
  socket: ctx.engine.paths.socket,
  version: null,
  clients: 0,
  inFlight: 0,
  stopping: false,
  log: ctx.engine.paths.log,
});

export const engineCommands: Command[] = [
  {
    words: ['engine', 'status'],
    args: [],
    flags: {},
    summary: 'Whether an engine serves this data folder, its pid, front ends and deployments in flight',
    async run(ctx) {
      // Looking must not start one: only an engine that already runs is asked.
      const connection = await ctx.engine.probe();
      if (!connection) {
        const status = notRunning(ctx);
        print(ctx, status, () => statusText(status));
        return 0;
      }
      try {
        const answer = await connection.transport.call('engine.status', {});
        if (!answer.ok) throw SlipwayError.fromPayload(answer.error);
        const status = answer.data as EngineStatus;
        print(ctx, status, () => statusText(status));
        return 0;
      } finally {
        connection.close();
      }
    },
  },
  {
    words: ['engine', 'stop'],
    args: [],
    flags: {
      now: { type: 'boolean', description: 'cancel the deployments in flight first (asks at a terminal)' },
    },
    summary: 'Stop the engine once nothing is in flight (the deployed apps keep serving)',
    async run(ctx) {
      const connection = await ctx.engine.probe();
      if (!connection) {
        print(ctx, notRunning(ctx), () => `No engine runs for ${ctx.engine.paths.dataDir}.`);
        return 0;
      }
      try {
        const call = async (name: string, request: object) => {
          const answer = await connection.transport.call(name, request);
          if (!answer.ok) throw SlipwayError.fromPayload(answer.error);
          return answer.data as EngineStatus;
        };
        const now = ctx.flags.now === true;
        const before = await call('engine.status', {});
        if (now && before.inFlight > 0 && ctx.io.ask) {
          const answer = await ctx.io.ask(
            `Cancel ${before.inFlight} deployment(s) in flight and stop the engine? The live versions keep serving. [y/N] `,
          );
          if (!/^y(es)?$/i.test(answer.trim())) {
            ctx.io.err('Nothing was stopped.');
            return 1;
          }
        }
        const status = await call('engine.stop', { now });
        if (status.inFlight > 0) {
          print(
            ctx,
            status,
            () => `The engine (pid ${status.pid}) stops once its ${status.inFlight} deployment(s) in flight end.`,
          );
          return 0;
        }
        // The engine ends its connections as it stops; bounded, should closing its servers' SSH connections hang.
        let timer: NodeJS.Timeout | undefined;
        const ended = await Promise.race([
          connection.closed.then(() => true),
          new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STOP_TIMEOUT_MS))),
        ]).finally(() => clearTimeout(timer));
        if (!ended) {
          ctx.io.err(`The engine (pid ${status.pid}) is still stopping; see ${status.log}.`);
          return 1;
        }
        print(ctx, { ...status, running: false }, () => `Engine (pid ${status.pid}) stopped.`);
        return 0;
      } finally {
        connection.close();
      }
    },
  },
];
