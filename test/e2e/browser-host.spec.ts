import { request } from 'node:http';
import { expect, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/content-security-policy';
import { e2eEnv } from './e2e-env';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request whose path goes out exactly as written: fetch-style clients would normalise `..` away. */
function rawGet(path: string, method = 'GET'): Promise<RawResponse> {
  const { hostname, port } = new URL(e2eEnv('origin'));
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test.describe('the browser host', () => {
  test('serves the built renderer with its content types and the CSP header', async () => {
    const index = await rawGet('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['x-content-type-options']).toBe('nosniff');

    const script = /<script[^>]+src="\.?(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    const style = /<link[^>]+href="\.?(\/assets\/[^"]+\.css)"/.exec(index.body)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    expect((await rawGet(script!)).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await rawGet(style!)).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  test('never serves a file outside the renderer folder', async () => {
    for (const path of [
      '/../package.json',
      '/../../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/..%5c..%5cpackage.json',
      '/%2fetc%2fpasswd',
      '//etc/passwd',
      '/index.html%00.js',
      '/assets',
      '/does-not-exist.js',
    ]) {
      const response = await rawGet(path);
      expect.soft(response.status, path).toBe(404);
      expect.soft(response.body, path).not.toContain('"name": "slipway"');
      expect.soft(response.body, path).not.toContain('root:');
    }
  });

  test('answers only GET and HEAD', async () => {
    expect((await rawGet('/', 'POST')).status).toBe(405);
    const head = await rawGet('/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});
