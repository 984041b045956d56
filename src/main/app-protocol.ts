import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';

/**
 * The built renderer is served from `app://slipway/`, not `file://`: a page
 * on file:// may read any file the user can, and every file:// page shares
 * one origin. Here the origin is the app's alone and only the renderer's own
 * folder can be reached.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'slipway';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Standard (relative URLs, its own origin and storage) and secure (a secure
 * context, as https is), so the page's module scripts and fetches load; no
 * service workers and no CSP bypass.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/**
 * The file under `rootDir` that an app:// URL names, or null: another scheme
 * or host, a path that is not valid percent-encoding, or one that would leave
 * the folder (`..`, encoded `%2e%2e` or `%2f`, a backslash, a drive letter, NUL).
 */
export function resolveAppFile(url: string, rootDir: string): string | null {
  let target: URL;
  let path: string;
  try {
    target = new URL(url);
    path = decodeURIComponent(target.pathname);
  } catch {
    return null;
  }
  if (target.protocol !== `${APP_SCHEME}:` || target.host !== APP_HOST) return null;
  if (/[\\:\0]/.test(path)) return null;
  // A bare `app://slipway` has an empty path where Chromium would give `/`.
  if (path === '') path = '/';
  if (path.endsWith('/')) path += 'index.html';
  const root = resolve(rootDir);
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return file;
}

/** The headers of every app:// response: the renderer's CSP, and no guessing at content types. */
export function appResponseHeaders(file: string | null): Record<string, string> {
  return {
    'Content-Type': file
      ? (CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
      : 'text/plain; charset=utf-8',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** Answers app:// requests from the files of `rootDir`; anything else is a 404 (405 for a method but GET/HEAD). */
export function appRequestHandler(
  rootDir: string,
  read: (file: string) => Promise<Uint8Array> = readFile,
): (request: Request) => Promise<Response> {
  const refuse = (status: number, text: string, extra: Record<string, string> = {}) =>
    new Response(`${text}\n`, { status, headers: { ...appResponseHeaders(null), ...extra } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    }
    const file = resolveAppFile(request.url, rootDir);
    if (!file) return refuse(404, 'Not Found');
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      // Missing, a folder, unreadable: the same answer, so nothing is learnt about the disk.
      return refuse(404, 'Not Found');
    }
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: appResponseHeaders(file) });
  };
}

/** Serves the built renderer folder on app://; call once the app is ready. */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, appRequestHandler(rendererDir));
}
