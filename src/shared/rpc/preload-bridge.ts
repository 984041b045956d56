import { SlipwayError } from '../errors';
import { fail, ok, type Envelope } from './envelope';
import type { Transport } from './transport';

/** IPC channel names shared by the main-process adapter and the preload bridge. */
export const IPC_CHANNELS = {
  call: 'slipway:call',
  subscribe: 'slipway:subscribe',
  unsubscribe: 'slipway:unsubscribe',
  event: 'slipway:event',
} as const;

/** Name under which the preload script exposes the bridge on `window`. */
export const BRIDGE_GLOBAL = 'slipway';

/**
 * What the preload script exposes to the renderer: contract calls and
 * subscriptions by name, and nothing else of Electron.
 */
export interface PreloadBridge {
  call(name: string, request: unknown): Promise<Envelope<unknown>>;
  /** Resolves with the subscription's id, used to end it. */
  subscribe(name: string, params: unknown, onEvent: (event: unknown) => void): Promise<Envelope<number>>;
  unsubscribe(id: number): void;
}

/** A transport over the preload bridge (the desktop app's renderer). */
export function bridgeTransport(bridge: PreloadBridge): Transport {
  return {
    call: (name, request) => bridge.call(name, request),
    async subscribe(name, params, onEvent) {
      const result = await bridge.subscribe(name, params, onEvent);
      if (!result.ok) return result;
      const id = result.data;
      return ok(() => bridge.unsubscribe(id));
    },
  };
}

/** The error a bridge gives for a name that is not in the contract: it never reaches IPC. */
export function unknownEntry(name: string): Envelope<never> {
  return fail(new SlipwayError('UNKNOWN_METHOD', `Slipway has no entry named "${name}".`, { name }).toPayload());
}
