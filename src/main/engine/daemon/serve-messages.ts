import { SlipwayError } from '../../../shared/errors';
import { fail, toErrorPayload } from '../../../shared/rpc/envelope';
import type { Router } from '../../../shared/rpc/router';
import { clientMessageSchema, type ServerMessage } from '../../../shared/rpc/socket-protocol';
import type { Unsubscribe } from '../../../shared/rpc/transport';

/**
 * The largest message a front end may send, on either socket: a spec is at
 * most 1 MiB, and JSON-escaping its text can double that.
 */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** One connected front end, whatever carries its messages (a WebSocket, a local socket). */
export interface MessagePeer {
  readonly open: boolean;
  send(text: string): void;
}

/** What a message server hands its calls to: the engine's router, or a transport that relays to it. */
export type MessageTarget = Pick<Router, 'call' | 'subscribe'>;

/**
 * Answers one peer's messages (calls, subscriptions, unsubscriptions) from a
 * target. Every request is validated again by the router behind it.
 */
export function serveMessages(
  target: MessageTarget,
  peer: MessagePeer,
): {
  receive(text: string): Promise<void>;
  /** Ends the peer's subscriptions; call when it goes. */
  close(): void;
} {
  const subscriptions = new Map<number, Unsubscribe>();
  let closed = false;
  const send = (message: ServerMessage) => {
    if (peer.open) peer.send(JSON.stringify(message));
  };

  return {
    async receive(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const message = clientMessageSchema.safeParse(parsed);
      if (!message.success) {
        const id = typeof (parsed as { id?: unknown })?.id === 'number' ? (parsed as { id: number }).id : -1;
        const error = new SlipwayError('INVALID_REQUEST', 'Malformed message on the Slipway socket.');
        send({ t: 'result', id, result: fail(toErrorPayload(error)) });
        return;
      }
      const msg = message.data;
      if (msg.t === 'call') {
        send({ t: 'result', id: msg.id, result: await target.call(msg.name, msg.request) });
      } else if (msg.t === 'sub') {
        const result = await target.subscribe(msg.name, msg.params, (event) => send({ t: 'event', id: msg.id, event }));
        if (result.ok) {
          // A peer that left while the subscription opened never sees it: end it at once.
          if (closed || !peer.open) result.data();
          else subscriptions.set(msg.id, result.data);
          send({ t: 'result', id: msg.id, result: { ok: true, data: null } });
        } else {
          send({ t: 'result', id: msg.id, result });
        }
      } else {
        subscriptions.get(msg.id)?.();
        subscriptions.delete(msg.id);
      }
    },
    close() {
      closed = true;
      for (const unsubscribe of subscriptions.values()) unsubscribe();
      subscriptions.clear();
    },
  };
}
