import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SlipwayError } from '../errors';
import { emits, method, returns, stream } from './contract';
import { createRouter } from './router';

const contract = {
  t: {
    crash: method(z.object({}).strict(), returns<never>()),
    refuse: method(z.object({}).strict(), returns<never>()),
    ticks: stream(z.object({}).strict(), emits<number>()),
  },
};

const handlers = {
  t: {
    crash: async (): Promise<never> => {
      throw new Error('connect ENOENT /var/run/docker.sock');
    },
    refuse: async (): Promise<never> => {
      throw new SlipwayError('APP_NOT_FOUND', 'There is no app named shop.');
    },
    ticks: async (): Promise<never> => {
      throw new Error('stream broke');
    },
  },
};

describe('the router', () => {
  it('lets onError see each failure with its method and give it a meaning', async () => {
    const seen: string[] = [];
    const router = createRouter(contract, handlers, {
      onError: (err, name) => {
        seen.push(`${name}: ${(err as Error).message}`);
        return err instanceof SlipwayError ? err : new SlipwayError('DOCKER_UNREACHABLE', 'Start Docker.');
      },
    });
    expect(await router.call('t.crash', {})).toEqual({
      ok: false,
      error: { code: 'DOCKER_UNREACHABLE', message: 'Start Docker.' },
    });
    expect(await router.call('t.refuse', {})).toMatchObject({ ok: false, error: { code: 'APP_NOT_FOUND' } });
    expect(await router.subscribe('t.ticks', {}, () => undefined)).toMatchObject({
      ok: false,
      error: { code: 'DOCKER_UNREACHABLE' },
    });
    expect(seen).toEqual([
      't.crash: connect ENOENT /var/run/docker.sock',
      't.refuse: There is no app named shop.',
      't.ticks: stream broke',
    ]);
  });

  it('answers INTERNAL without the message when nothing explains an error, even if onError fails', async () => {
    const router = createRouter(contract, handlers, {
      onError: () => {
        throw new Error('the log is full');
      },
    });
    const answer = await router.call('t.crash', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(answer)).not.toContain('docker.sock');
    expect(JSON.stringify(answer)).not.toContain('the log is full');
  });
});
