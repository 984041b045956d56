import type { Envelope } from './envelope';

export type Unsubscribe = () => void;

/**
 * What a client needs from a transport: carry a call, carry a subscription.
 * In-process, Electron IPC and WebSocket transports all have this shape.
 */
export interface Transport {
  call(name: string, request: unknown): Promise<Envelope<unknown>>;
  subscribe(name: string, params: unknown, onEvent: (event: unknown) => void): Promise<Envelope<Unsubscribe>>;
}
