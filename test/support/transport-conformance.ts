import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlipwayError } from '../../src/shared/errors';
import { createClient, type Client } from '../../src/shared/rpc/client';
import type { Transport } from '../../src/shared/rpc/transport';
import { echoContract, echoRouter } from './echo-contract';

export interface TransportUnderTest {
  transport: Transport;
  close(): Promise<void> | void;
}

const until = async (condition: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** The behaviour every transport must show, run against the echo contract. */
export function describeTransportConformance(
  name: string,
  connect: (router: ReturnType<typeof echoRouter>) => Promise<TransportUnderTest>,
): void {
  describe(`${name} transport`, () => {
    let router: ReturnType<typeof echoRouter>;
    let connection: TransportUnderTest;
    let client: Client<typeof echoContract>;

    beforeEach(async () => {
      router = echoRouter();
      connection = await connect(router);
      client = createClient(echoContract, connection.transport);
    });
    afterEach(async () => {
      await connection.close();
    });

    it('round-trips a call, applying schema defaults', async () => {
      expect(await client.echo.say({ text: 'hi' })).toEqual({ text: 'hi' });
      expect(await client.echo.say({ text: 'hi', times: 2 })).toEqual({ text: 'hi hi' });
    });

    it('answers an invalid request with INVALID_REQUEST naming the field', async () => {
      const raw = await connection.transport.call('echo.say', { text: 'x', times: 9 });
      expect(raw.ok).toBe(false);
      if (raw.ok) return;
      expect(raw.error.code).toBe('INVALID_REQUEST');
      expect(raw.error.message).toContain('times');
      expect(raw.error.details).toEqual({ issues: [{ path: 'times', message: expect.any(String) }] });
    });

    it('refuses unknown fields and names them', async () => {
      const err = await client.echo.say({ text: 'x', extra: true } as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SlipwayError);
      expect((err as SlipwayError).code).toBe('INVALID_REQUEST');
      expect((err as SlipwayError).message).toContain('extra');
    });

    it('rethrows a typed error with its code and details', async () => {
      const err = await client.echo.refuse().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SlipwayError);
      expect((err as SlipwayError).code).toBe('DOCKER_UNREACHABLE');
      expect((err as SlipwayError).details).toEqual({ endpoint: 'test' });
    });

    it('reports an unexpected failure as INTERNAL without leaking its message', async () => {
      const err = (await client.echo.crash().catch((e: unknown) => e)) as SlipwayError;
      expect(err.code).toBe('INTERNAL');
      expect(err.message).not.toContain('id_ed25519');
    });

    it('refuses a name outside the contract', async () => {
      for (const bad of ['echo.nope', '__proto__.toString', 'echo.constructor', 'echo']) {
        const raw = await connection.transport.call(bad, {});
        expect(raw).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
      }
    });

    it('delivers stream events and ends the subscription on unsubscribe', async () => {
      const seen: number[] = [];
      const unsubscribe = await client.echo.ticks({ count: 3 }, (event) => seen.push(event.n));
      await until(() => seen.length === 3);
      expect(seen).toEqual([1, 2, 3]);
      unsubscribe();
      await until(() => router.unsubscribed() === 1);
    });

    it('validates stream parameters', async () => {
      const err = (await client.echo.ticks({ count: 0 }, () => undefined).catch((e: unknown) => e)) as SlipwayError;
      expect(err.code).toBe('INVALID_REQUEST');
      expect(err.message).toContain('count');
    });
  });
}
