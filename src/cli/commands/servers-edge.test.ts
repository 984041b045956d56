import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../command';
import { serverEdgeCommands } from './servers-edge';

const command = (words: string) => serverEdgeCommands.find((c) => c.words.join(' ') === words)!;

function context(flags: CommandContext['flags'], calls: unknown[], out: string[]): CommandContext {
  return {
    client: {
      servers: {
        edgeEnable: async (request: unknown) => {
          calls.push(request);
          return {
            server: 'srv',
            enabled: true,
            httpPort: 8080,
            httpsPort: 8443,
            bind: '127.0.0.1',
            tls: 'internal',
            image: 'caddy:2',
            container: 'running',
            routes: [],
          };
        },
        edgeStatus: async () => ({
          server: 'srv',
          enabled: true,
          httpPort: 80,
          httpsPort: 443,
          bind: '0.0.0.0',
          tls: 'acme',
          image: 'caddy:2',
          container: 'running',
          routes: [
            {
              domain: 'shop.example.com',
              app: 'shop',
              certificate: { state: 'valid', notAfter: '2027-03-01T10:00:00.000Z', issuer: 'R11' },
            },
            {
              domain: 'new.example.com',
              app: 'blog',
              certificate: { state: 'failed', lastError: 'could not get certificate from issuer: timeout' },
            },
          ],
          ports: [{ app: 'tools', port: 10000, url: 'http://203.0.113.7:10000' }],
        }),
        edgeDisable: async () => ({ server: 'srv', removed: ['container slipway-edge'], appsLosingUrl: ['shop'] }),
      },
    },
    io: { out: (text: string) => out.push(text), err: () => undefined },
    output: 'text',
    args: { name: 'srv' },
    flags,
  } as unknown as CommandContext;
}

describe('slipway servers edge', () => {
  it('passes the flags as numbers and names, leaving defaults to the contract', async () => {
    const calls: unknown[] = [];
    const out: string[] = [];
    const flags = { 'http-port': '8080', 'https-port': '8443', bind: '127.0.0.1', tls: 'internal' };
    expect(await command('servers edge enable').run(context(flags, calls, out))).toBe(0);
    expect(calls).toEqual([
      {
        name: 'srv',
        httpPort: 8080,
        httpsPort: 8443,
        bind: '127.0.0.1',
        tls: 'internal',
        acmeEmail: undefined,
        image: undefined,
      },
    ]);
    expect(out[0]).toMatch(/HTTP 127\.0\.0\.1:8080, HTTPS 127\.0\.0\.1:8443/);
  });

  it("shows each domain's certificate: until when and by whom, or why Caddy could not get one", async () => {
    const out: string[] = [];
    expect(await command('servers edge status').run(context({}, [], out))).toBe(0);
    expect(out[0]).toMatch(/shop\.example\.com +shop +valid until 2027-03-01 \(R11\)/);
    expect(out[0]).toMatch(/new\.example\.com +blog +failed: could not get certificate from issuer: timeout/);
    expect(out[0]).toMatch(/http:\/\/203\.0\.113\.7:10000 +tools +-/);
  });

  it('refuses a bad port or TLS mode before calling the engine', async () => {
    const calls: unknown[] = [];
    await expect(command('servers edge enable').run(context({ 'http-port': '80a' }, calls, []))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(command('servers edge enable').run(context({ tls: 'maybe' }, calls, []))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(calls).toEqual([]);
  });

  it('says which apps lose their public URL on disable', async () => {
    const out: string[] = [];
    await command('servers edge disable').run(context({}, [], out));
    expect(out[0]).toBe('Removed container slipway-edge from srv.\nThese apps lose their public URL: shop.');
  });
});
