import { z } from 'zod';
import { SlipwayError } from '../../src/shared/errors';
import { emits, method, returns, stream } from '../../src/shared/rpc/contract';
import { createRouter, type Router } from '../../src/shared/rpc/router';

/** A small contract that exercises every path of the RPC mechanism without Docker. */
export const echoContract = {
  echo: {
    say: method(
      z.object({ text: z.string().max(100), times: z.number().int().min(1).max(3).default(1) }).strict(),
      returns<{ text: string }>(),
    ),
    refuse: method(z.object({}).strict(), returns<never>()),
    crash: method(z.object({}).strict(), returns<never>()),
    ticks: stream(z.object({ count: z.number().int().min(1).max(10) }).strict(), emits<{ n: number }>()),
  },
};

/** A router for the echo contract; `unsubscribed` counts ended subscriptions. */
export function echoRouter(): Router & { unsubscribed: () => number } {
  let unsubscribed = 0;
  const router = createRouter(echoContract, {
    echo: {
      say: async ({ text, times }) => ({ text: Array.from({ length: times }, () => text).join(' ') }),
      refuse: async () => {
        throw new SlipwayError('DOCKER_UNREACHABLE', 'The Docker engine does not answer.', { endpoint: 'test' });
      },
      crash: async () => {
        throw new Error('secret path /home/someone/.ssh/id_ed25519 leaked');
      },
      ticks: ({ count }, emit) => {
        // Events go out after the subscription is confirmed, as real engine events do.
        const timer = setTimeout(() => {
          for (let n = 1; n <= count; n++) emit({ n });
        }, 10);
        return () => {
          clearTimeout(timer);
          unsubscribed++;
        };
      },
    },
  });
  return Object.assign(router, { unsubscribed: () => unsubscribed });
}
