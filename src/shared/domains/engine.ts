import { z } from 'zod';
import { method, returns } from '../rpc/contract';

/** What `slipway engine status` reports about the engine that serves a data folder. */
export interface EngineStatus {
  /** Whether an engine serves the data folder; false only when nothing answered its socket. */
  running: boolean;
  pid: number | null;
  /** The local socket every front end reaches the engine on (a named pipe on Windows). */
  socket: string;
  version: string | null;
  /** Front ends connected right now: the window and each CLI call or log follower. */
  clients: number;
  /** Deployments running or waiting, over every app. */
  inFlight: number;
  /** True once a stop was asked: the engine ends when nothing is in flight, and takes no new deployment. */
  stopping: boolean;
  /** The engine's own output (start, stop, what it could not do). */
  log: string;
}

/** The engine process itself: its status, and asking it to stop. Kept small and stable across versions. */
export const engineContract = {
  status: method(z.object({}).strict(), returns<EngineStatus>()),
  /**
   * Stops the engine once nothing is in flight; with `now`, the running and
   * waiting deployments are canceled first (the live versions keep serving).
   */
  stop: method(z.object({ now: z.boolean().default(false) }).strict(), returns<EngineStatus>()),
};
