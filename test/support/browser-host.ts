import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, resolve, sep } from 'node:path';
import { attachSocketServer, newSocketToken } from '../../src/main/rpc/websocket-server';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';
import type { MessageTarget } from '../../src/main/engine/daemon/serve-messages';
import { SOCKET_TOKEN_PARAM } from '../../src/shared/rpc/socket-protocol';

export interface BrowserHostOptions {
  /** The built renderer; relative paths are taken from the working directory (the repository root). */
  rendererDir?: string;
  /** What the page's calls go to: a relay to the engine process, as in the window's main process. */
  router: MessageTarget;
}

export interface BrowserHost {
  /** The page to open, token in the fragment: `http://127.0.0.1:PORT/#token=...`. */
  url: string;
  /** The page's origin without the token, e.g. for a test that must be refused. */
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + sep);
}

/**
 * Maps a request path onto a file under `root`, or undefined. The check runs on
 * the resolved path and again after following symlinks, so neither `..`,
 * encoded `%2e%2e`, nor a link inside the folder can lead out of it.
 */
async function fileFor(root: string, rawUrl: string): Promise<string | undefined> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://127.0.0.1').pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  if (pathname.endsWith('/')) pathname += 'index.html';
  const candidate = resolve(root, `.${pathname}`);
  if (!isInside(root, candidate)) return undefined;
  try {
    const real = await realpath(candidate);
    if (!isInside(root, real) || !(await stat(real)).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

function sendStatus(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...extra });
  res.end(`${text}\n`);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Serves the built renderer and the engine's WebSocket on one loopback port,
 * so the page reaches the socket on its own origin, as the CSP's connect-src
 * 'self' and the socket server's Origin check both require.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const dir = options.rendererDir ?? 'out/renderer';
  const root = await realpath(isAbsolute(dir) ? dir : resolve(process.cwd(), dir)).catch(() => {
    throw new Error(`No built renderer at ${dir}: run \`npx electron-vite build\` first`);
  });
  try {
    await stat(resolve(root, 'index.html'));
  } catch {
    throw new Error(`${root} has no index.html: run \`npx electron-vite build\` first`);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // The same headers the desktop shell sends, so the page runs under the policy it ships with.
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendStatus(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return;
    }
    void fileFor(root, req.url ?? '/').then(
      (file) => {
        if (!file) {
          sendStatus(res, 404, 'Not Found');
          return;
        }
        res.writeHead(200, {
          'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        const body = createReadStream(file);
        body.on('error', () => res.destroy());
        body.pipe(res);
      },
      () => sendStatus(res, 500, 'Internal Server Error'),
    );
  });

  const port = await listen(server);
  const token = newSocketToken();
  const socketServer = attachSocketServer({ server, router: options.router, token, path: '/rpc' });
  const origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/#${SOCKET_TOKEN_PARAM}=${token}`,
    origin,
    port,
    token,
    close() {
      closing ??= (async () => {
        await socketServer.close();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
