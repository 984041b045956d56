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
