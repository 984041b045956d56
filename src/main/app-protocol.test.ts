import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  appRequestHandler,
  appResponseHeaders,
  resolveAppFile,
  serveAppProtocol,
} from './app-protocol';

const ROOT = '/opt/Slipway/resources/app.asar/out/renderer';

describe('resolveAppFile', () => {
  it.each([
    ['app://slipway/index.html', `${ROOT}/index.html`],
    ['app://slipway/', `${ROOT}/index.html`],
    ['app://slipway', `${ROOT}/index.html`],
    ['app://slipway/assets/index-DxjABuCm.js', `${ROOT}/assets/index-DxjABuCm.js`],
    ['app://slipway/assets/a%20b.css', `${ROOT}/assets/a b.css`],
    ['app://slipway/index.html?x=1#/apps', `${ROOT}/index.html`],
    // The URL parser removes dot segments before the path is seen: they cannot climb above the root.
    ['app://slipway/../../etc/passwd', `${ROOT}/etc/passwd`],
    ['app://slipway/assets/../index.html', `${ROOT}/index.html`],
    ['app://slipway/%2e%2e/%2e%2e/etc/passwd', `${ROOT}/etc/passwd`],
  ])('%s is %s', (url, file) => {
    expect(resolveAppFile(url, ROOT)).toBe(file);
  });

  it.each([
    ['an encoded slash between dot segments', 'app://slipway/..%2f..%2fetc%2fpasswd'],
    ['dot segments hidden by an encoded slash', 'app://slipway/assets/%2e%2e%2f%2e%2e%2fsecret.txt'],
    ['a backslash', 'app://slipway/..%5c..%5cetc%5cpasswd'],
    ['a drive letter', 'app://slipway/C:%5cWindows%5cwin.ini'],
    ['an encoded NUL', 'app://slipway/index.html%00.png'],
    ['broken percent-encoding', 'app://slipway/%E0%A4%A'],
    ['another host', 'app://evil/index.html'],
    ['a host with a port', 'app://slipway:80/index.html'],
    ['another scheme', 'file:///opt/Slipway/resources/app.asar/out/renderer/index.html'],
    ['https', 'https://slipway/index.html'],
    ['not a URL', 'index.html'],
  ])('refuses %s', (_what, url) => {
    expect(resolveAppFile(url, ROOT)).toBeNull();
  });
});

describe('appResponseHeaders', () => {
  it("carries the renderer's CSP and forbids sniffing on every answer", () => {
    for (const file of [`${ROOT}/index.html`, `${ROOT}/x.bin`, null]) {
      expect(appResponseHeaders(file)).toMatchObject({
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      });
    }
  });

  it('names the content type by extension, and nothing it does not know', () => {
    expect(appResponseHeaders(`${ROOT}/index.html`)['Content-Type']).toBe('text/html; charset=utf-8');
    expect(appResponseHeaders(`${ROOT}/assets/x.JS`)['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(appResponseHeaders(`${ROOT}/assets/x.css`)['Content-Type']).toBe('text/css; charset=utf-8');
    expect(appResponseHeaders(`${ROOT}/assets/x.woff2`)['Content-Type']).toBe('font/woff2');
    expect(appResponseHeaders(`${ROOT}/x.exe`)['Content-Type']).toBe('application/octet-stream');
  });
});

describe('appRequestHandler', () => {
  let parent: string;
  let root: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'slipway-app-protocol-'));
    root = join(parent, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Slipway</title>');
    await writeFile(join(root, 'assets', 'index.js'), 'console.log(1)');
    await writeFile(join(parent, 'secret.txt'), 'not for the page');
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => appRequestHandler(root)(new Request(url, { method }));

  it('serves the entry and its assets with their type and the CSP', async () => {
    const page = await get(APP_ENTRY_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html><title>Slipway</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const script = await get('app://slipway/assets/index.js');
    expect(await script.text()).toBe('console.log(1)');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404, with the CSP, for a missing file, a folder and a path out of the folder', async () => {
    for (const url of [
      'app://slipway/missing.js',
      'app://slipway/assets/',
      'app://slipway/%2e%2e/secret.txt',
      'app://slipway/..%2fsecret.txt',
      'app://evil/index.html',
    ]) {
      const answer = await get(url);
      expect(answer.status, url).toBe(404);
      expect(await answer.text(), url).not.toContain('not for the page');
      expect(answer.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_ENTRY_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await get(APP_ENTRY_URL, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('serveAppProtocol', () => {
  it('handles the app scheme, registered standard and secure but without a CSP bypass', async () => {
    const protocol = { handle: vi.fn() };
    serveAppProtocol(protocol, '/nowhere');
    expect(protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function));
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    });
    const handler = protocol.handle.mock.calls[0]![1] as (request: Request) => Promise<Response>;
    expect((await handler(new Request(APP_ENTRY_URL))).status).toBe(404);
  });
});
