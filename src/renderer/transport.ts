import { SlipwayError } from '../shared/errors';
import { fail } from '../shared/rpc/envelope';
import { BRIDGE_GLOBAL, bridgeTransport, type PreloadBridge } from '../shared/rpc/preload-bridge';
import { socketClientTransport } from '../shared/rpc/socket-client-transport';
import { SOCKET_TOKEN_PARAM } from '../shared/rpc/socket-protocol';
import type { Transport } from '../shared/rpc/transport';
import { workerTransport, type FollowBounded, type WorkerPort } from './worker-transport';

/** How this page reaches the engine: the desktop app's preload bridge, a loopback WebSocket, or not at all. */
export type TransportKind = 'bridge' | 'socket' | 'none';

export interface RendererTransport {
  kind: TransportKind;
  transport: Transport;
  /** Present when the socket lives in a worker: streams whose consumer keeps only the latest items. */
  followBounded?: FollowBounded;
}

/** Path of the engine's socket on the page's own host; the browser host attaches it there. */
export const SOCKET_PATH = '/rpc';

/**
 * Reads the socket token from the URL fragment and takes it out of the address
 * bar. The token travels in the fragment because browsers never send fragments
 * to the server, so it stays out of request lines, logs and Referer headers;
 * removing it keeps it out of history and screenshots.
 */
export function takeTokenFromFragment(location: Location, history: History): string | null {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = fragment.get(SOCKET_TOKEN_PARAM);
  if (token === null) return null;
  fragment.delete(SOCKET_TOKEN_PARAM);
  const rest = fragment.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return token === '' ? null : token;
}

/** The engine socket's address on the host that served this page. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${SOCKET_PATH}?${SOCKET_TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

/** Answers every request with one error, so the UI explains the missing connection like any other failure. */
function unavailableTransport(message: string): Transport {
  const error = new SlipwayError('UNAUTHORIZED', message).toPayload();
  return {
    call: async () => fail(error),
    subscribe: async () => fail(error),
  };
}

function preloadBridge(win: Window): PreloadBridge | undefined {
  const candidate = (win as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
  return typeof candidate === 'object' && candidate !== null ? (candidate as PreloadBridge) : undefined;
}

/** Picks the transport for this page; call it once, before anything else reads the URL. */
export function connectTransport(win: Window = window): RendererTransport {
  const bridge = preloadBridge(win);
  if (bridge) return { kind: 'bridge', transport: bridgeTransport(bridge) };

  const token = takeTokenFromFragment(win.location, win.history);
  if (token) {
    const url = socketUrl(win.location, token);
    // The socket lives in a worker, which decodes the engine's messages off the UI thread;
    // where no worker can start, the page holds the socket itself.
    try {
      const worker = new Worker(new URL('./socket-worker.ts', import.meta.url), {
        type: 'module',
        name: 'slipway-socket',
      });
      const transport = workerTransport(worker as unknown as WorkerPort, url);
      return { kind: 'socket', transport, followBounded: transport.followBounded };
    } catch {
      return { kind: 'socket', transport: socketClientTransport(new WebSocket(url)) };
    }
  }
  return {
    kind: 'none',
    transport: unavailableTransport(
      'This page has no connection to a Slipway engine. Open it from the Slipway app, or with the address (including its #token) that the engine printed.',
    ),
  };
}
